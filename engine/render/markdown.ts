/** Lines shifted right, e.g. under a list item; blank lines stay blank. */
export function indent(lines: string[], by = '  '): string[] {
  return lines.map((line) => (line ? `${by}${line}` : line));
}

/** A fenced code block, its fence longer than any backtick run inside the code. */
export function codeBlock(language: string, code: string): string[] {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...code.split('\n'), fence];
}

/** Inline code that survives backticks inside. */
export function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Paragraphs (groups of lines) separated by one blank line; empty groups left out. */
export function paragraphs(groups: string[][]): string[] {
  return groups.filter((group) => group.length).flatMap((group, i) => (i === 0 ? group : ['', ...group]));
}

/** Prose for GitHub: a `<` outside code spans starts an HTML tag, and `<process>` would vanish. */
export function escapeProse(text: string): string {
  return text.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 ? part : part.replaceAll('<', '&lt;'))).join('');
}
