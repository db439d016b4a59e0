/** The prefixes rate limits and bans key on (core/net.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipPrefix, widePrefix } from '../../src/server/core/net.js';

describe('IP prefixes', () => {
  it('keys an IPv4 address on itself, an IPv6 address on its /64', () => {
    assert.equal(ipPrefix('203.0.113.7'), '203.0.113.7');
    assert.equal(ipPrefix('::ffff:203.0.113.7'), '203.0.113.7', 'IPv4-mapped');
    assert.equal(ipPrefix('2001:DB8:0001:0002:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipPrefix('::1'), '0:0:0:0::/64');
  });

  it('keys a network on the /24 of an IPv4 address, the /48 of an IPv6 one', () => {
    assert.equal(widePrefix('203.0.113.7'), '203.0.113.0/24');
    assert.equal(widePrefix('::ffff:203.0.113.7'), '203.0.113.0/24');
    assert.equal(widePrefix('2001:db8:1:2:3:4:5:6'), '2001:db8:1::/48');
    assert.equal(widePrefix('2001:0db8:00a0::'), '2001:db8:a0::/48');
  });

  it('leaves what is no address as it is', () => {
    for (const odd of ['', 'localhost', '1.2.3', 'fe80::zz', ':::'])
      assert.equal(ipPrefix(odd), odd);
    assert.equal(widePrefix('localhost'), 'localhost');
  });
});
