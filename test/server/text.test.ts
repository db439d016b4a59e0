import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capMarks, cleanLine, cleanText, MAX_MARKS } from '../../src/server/core/text.js';
import { BROWSER_UA, DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

/** Real Vietnamese, precomposed (NFC) and decomposed (NFD: up to two marks on one letter). */
const VI = 'Nguyễn Thị Ánh Tuyết hỏi: Bộ thủ tục hành chính có được cập nhật không? Ở đây ạ.';
const VI_NFD = VI.normalize('NFD');
const RLO = '\u202E';
const marksAfter = (text: string) =>
  Math.max(0, ...(text.normalize('NFD').match(/\p{M}+/gu) ?? []).map((m) => [...m].length));

describe('text cleaning (core/text.ts)', () => {
  it('keeps Vietnamese intact, typed precomposed or decomposed, as NFC', () => {
    assert.notEqual(VI_NFD, VI);
    assert.equal(marksAfter(VI_NFD), 2, 'ệ, ể, ậ… carry two marks in NFD');
    for (const input of [VI, VI_NFD]) {
      assert.equal(cleanLine(input), VI);
      assert.equal(cleanText(`${input}\r\n${input}`), `${VI}\n${VI}`);
    }
    assert.equal(cleanLine('  Đường Lê Lợi  '), 'Đường Lê Lợi');
  });

  it('removes bidi controls and zero-width characters from one-line fields', () => {
    assert.equal(cleanLine(`Admin${RLO}gnp.exe`), 'Admingnp.exe');
    const hidden = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067']
      .concat(['\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D'])
      .concat(['\u2060', '\uFEFF']);
    assert.equal(cleanLine(`Ng${hidden.join('')}uyễn`), 'Nguyễn');
    for (const ch of hidden)
      assert.equal(cleanLine(`a${ch}b`), 'ab', ch.codePointAt(0)!.toString(16));
  });

  it(`keeps at most ${MAX_MARKS} combining marks per base character, everywhere`, () => {
    const tower = `Z${'\u0301\u0308\u0323\u0330'.repeat(500)}algo`;
    assert.equal(marksAfter(cleanLine(tower)), MAX_MARKS);
    assert.equal(marksAfter(cleanText(tower)), MAX_MARKS);
    // The first three in canonical order (NFD sorts marks below before marks above).
    const kept = [...tower.normalize('NFD')].slice(0, 1 + MAX_MARKS).join('');
    assert.equal(cleanLine(tower), `${kept}algo`.normalize('NFC'));
    assert.equal(capMarks(`e\u0323\u0302`), 'ệ', 'two marks compose');
    assert.equal(capMarks('a\u0301\u0301\u0301'), 'á\u0301\u0301', 'three are kept');
  });
});

describeEngines('text cleaning on every write', (engine) => {
  const answers = new Map<string, string>();
  const t = useTestApp(engine, {
    sites: ['t1'],
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
  });

  it('stores names, titles, options and list items in NFC, without bidi or zero-width characters, marks capped', async () => {
    const tower = `Ô${'\u0301'.repeat(150)}`;
    // A poll: question and options.
    const poll = await t.admin('POST', '/sites/t1/polls', {
      id: 'van-ban',
      question: `${VI_NFD}${RLO}`,
      options: [
        { id: 'co', label: `C\u200Bó ${tower}` },
        { id: 'khong', label: 'Không'.normalize('NFD') },
      ],
    });
    assert.equal(poll.statusCode, 201, poll.body);
    const read = (
      await t.app.inject({ method: 'GET', url: '/api/v1/sites/t1/polls/van-ban' })
    ).json() as { question: string; options: { label: string }[] };
    assert.equal(read.question, VI);
    // Ô + 150 acute accents: O, circumflex and two acutes (three marks) are kept.
    assert.equal(read.options[0]!.label, 'Có Ố\u0301');
    assert.equal(marksAfter(read.options[0]!.label), MAX_MARKS);
    assert.equal(read.options[1]!.label, 'Không');

    // A slogan list: title and items.
    const list = await t.admin('POST', '/sites/t1/slogans', {
      id: 'khau-hieu',
      title: `Khẩu hiệu${RLO}`.normalize('NFD'),
      items: [{ text: `\u2067${VI_NFD}\u2069` }],
    });
    assert.equal(list.statusCode, 201, list.body);
    const slogans = (
      await t.app.inject({ method: 'GET', url: '/api/v1/sites/t1/slogans/khau-hieu' })
    ).json() as { title: string; items: { text: string }[] };
    assert.equal(slogans.title, 'Khẩu hiệu');
    assert.equal(slogans.items[0]!.text, VI);

    // A site's name.
    const site = await t.admin('PUT', '/sites/t1', {
      name: `Sở${RLO} Tư pháp`.normalize('NFD'),
      origins: [DEMO_ORIGIN],
    });
    assert.equal(site.statusCode, 200, site.body);
    assert.equal((await t.storage.getSite('t1'))!.name, 'Sở Tư pháp');
  });

  it('stores a comment with its name and title cleaned and its content in NFC with marks capped', async () => {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/captcha',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(c.statusCode, 200, c.body);
    const { id } = c.json() as { id: string };
    const content = `${VI_NFD}\r\nZ${'\u0301\u0302'.repeat(400)}`;
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/threads/%2Ftin-tuc%2F1/comments',
      headers: {
        'content-type': 'application/json',
        'user-agent': BROWSER_UA,
        origin: DEMO_ORIGIN,
      },
      payload: JSON.stringify({
        name: `Admin${RLO}gnp.exe`,
        email: 'an@example.vn',
        title: `Gó\u200Bp ý`.normalize('NFD'),
        content,
        captcha: `c1.${id}.${answers.get(id)}`,
      }),
    });
    assert.equal(posted.statusCode, 202, posted.body);
    const row = await t.storage.db
      .selectFrom('comments')
      .select(['name', 'title', 'content'])
      .where('site', '=', 't1')
      .executeTakeFirstOrThrow();
    assert.equal(row.name, 'Admingnp.exe');
    assert.equal(row.title, 'Góp ý');
    assert.equal(row.content.split('\n')[0], VI);
    assert.equal(marksAfter(row.content), MAX_MARKS);
    assert.equal(row.content, row.content.normalize('NFC'));
  });
});
