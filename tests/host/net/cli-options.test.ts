// The network options of `wasmos board run` and `wasmos boot`.
import { describe, expect, it } from 'vitest';
import { UsageError, parseBoardRunArgs } from '../../../src/cli/board-run-options.ts';
import { parseBootArgs } from '../../../src/cli/os-boot.ts';

describe('wasmos board run --net', () => {
  it('takes --net user and --pcap with it', () => {
    const o = parseBoardRunArgs(['k.elf', '--net', 'user', '--pcap', 'x.pcap']);
    expect(o).toMatchObject({ image: 'k.elf', net: 'user', pcap: 'x.pcap' });
    expect(parseBoardRunArgs(['k.elf'])).toMatchObject({ net: undefined, pcap: undefined });
  });

  it('refuses other backends and --pcap without a network', () => {
    expect(() => parseBoardRunArgs(['k.elf', '--net', 'tap'])).toThrow(UsageError);
    expect(() => parseBoardRunArgs(['k.elf', '--pcap', 'x.pcap'])).toThrow(/--pcap needs --net user/);
  });
});

describe('wasmos boot network options', () => {
  it('has the network on by default, forwards repeatable', () => {
    expect(parseBootArgs([])).toMatchObject({ net: 'user', forwards: [], pcap: undefined });
    expect(parseBootArgs(['--forward', '8080:80', '--forward', '0:22', '--pcap', 'a.pcap'])).toMatchObject({
      net: 'user', forwards: [{ hostPort: 8080, guestPort: 80 }, { hostPort: 0, guestPort: 22 }], pcap: 'a.pcap',
    });
    expect(parseBootArgs(['--net', 'none'])).toMatchObject({ net: 'none' });
  });

  it('refuses bad forwards and network options without a network', () => {
    expect(() => parseBootArgs(['--forward', '80'])).toThrow(UsageError);
    expect(() => parseBootArgs(['--net', 'none', '--forward', '8080:80'])).toThrow(/need the network/);
    expect(() => parseBootArgs(['--net', 'bridge'])).toThrow(/user or none/);
  });
});
