import assert from 'node:assert/strict';
import { it } from 'node:test';
import { utcDay } from '../../src/server/core/time.js';

it('utcDay names the UTC day of an instant, across day boundaries in any order', () => {
  const at = (iso: string) => utcDay(Date.parse(iso));
  assert.equal(at('2026-03-01T23:59:59.999Z'), '2026-03-01');
  assert.equal(at('2026-03-02T00:00:00.000Z'), '2026-03-02');
  assert.equal(at('2026-03-01T00:00:00.000Z'), '2026-03-01', 'an earlier day after a later one');
  assert.equal(at('2026-03-01T12:00:00+07:00'), '2026-03-01');
  assert.equal(at('2026-03-01T06:59:59+07:00'), '2026-02-28', 'the UTC day, not the local one');
  assert.equal(at('1969-12-31T23:00:00Z'), '1969-12-31', 'before the epoch');
  assert.equal(at('1970-01-01T00:00:00Z'), '1970-01-01');
  for (
    let ms = Date.parse('2026-12-31T22:00:00Z');
    ms < Date.parse('2027-01-01T02:00:00Z');
    ms += 599_999
  )
    assert.equal(utcDay(ms), new Date(ms).toISOString().slice(0, 10), new Date(ms).toISOString());
});
