// Every text on the page goes in through text nodes: nothing from the server is ever parsed as HTML.

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces what `node` shows. */
export function show(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function link(href, ...children) {
  return el('a', { href }, ...children);
}

/** A table from column titles and rows of cells. */
export function table(columns, rows, rowClass = () => '') {
  return el('table', {},
    el('thead', {}, el('tr', {}, columns.map((title) => el('th', {}, title)))),
    el('tbody', {}, rows.map((cells, i) => el('tr', { class: rowClass(i) || undefined }, cells.map((cell) => el('td', {}, cell))))));
}

export function section(title, ...children) {
  return el('section', {}, el('h2', {}, title), ...children);
}
