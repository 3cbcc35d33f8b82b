// core's own SSH types (src/machine/ssh-types.ts) must fit what the ssh2 library hands out, so that the public
// declarations can name them instead of ssh2's. The type assertions are checked by `npm run typecheck` (tsc).
import type { Readable } from "node:stream";
import { type Client, type ClientChannel, type SFTPWrapper, Client as Ssh2Client, type Stats } from "ssh2";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { SftpSession, SftpStats, SshChannel, SshClient } from "../../src/index.js";

describe("core's SSH types", () => {
  it("are fitted by ssh2's Client, ClientChannel, SFTPWrapper and Stats", () => {
    expectTypeOf<Client>().toExtend<SshClient>();
    expectTypeOf<ClientChannel>().toExtend<SshChannel>();
    expectTypeOf<SFTPWrapper>().toExtend<SftpSession>();
    expectTypeOf<Stats>().toExtend<SftpStats>();
    // And they are not so loose that anything fits: a plain stream is no channel (it has no stderr, no close()).
    expectTypeOf<Readable>().not.toExtend<SshChannel>();
  });

  it("name only methods a real ssh2 Client has", () => {
    const client = new Ssh2Client();
    const used: (keyof SshClient)[] = ["on", "exec", "forwardOut", "sftp", "end", "destroy"];
    for (const name of used) expect(typeof client[name], name).toBe("function");
  });
});
