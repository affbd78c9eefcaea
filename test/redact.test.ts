import { describe, expect, it } from 'vitest';
import { Redactor } from '../engine/redact.js';

describe('the redactor', () => {
  it('masks passwords in connection strings, including ones holding @, and libpq key=value forms', () => {
    const r = new Redactor();
    expect(r.text('postgres://app:p@ss@db.internal:5432/app')).toBe('postgres://app:***@db.internal:5432/app');
    expect(r.text('smtp://user:hunter2@mail:587 and https://x.test/a@b')).toBe('smtp://user:***@mail:587 and https://x.test/a@b');
    expect(r.text("host=db user=app password=s3cret dbname=x")).toBe('host=db user=app password=*** dbname=x');
    expect(r.text("password='it\\'s long' port=5432")).toBe('password=*** port=5432');
    expect(r.text('PGPASSWORD=abc123 DB_PASSWORD=x9y8z7 psql')).toBe('PGPASSWORD=*** DB_PASSWORD=*** psql');
  });

  it('masks every line of a multi-line secret, as output arrives line by line', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END KEY-----';
    const r = new Redactor([key]);
    for (const line of key.split('\n').slice(1, 3)) expect(r.text(`got ${line}`)).toBe('got ***');
    expect(r.text(key)).toBe('***');
  });

  it('passes secrets down to a nested redactor and masks deep structures', () => {
    const r = new Redactor(['tok-123456']).with(['other-secret']);
    expect(r.deep({ a: ['x tok-123456', { b: 'other-secret' }], n: 3 })).toEqual({ a: ['x ***', { b: '***' }], n: 3 });
  });
});
