import { createServer, type Socket } from "node:net";
import { FediError } from "../errors.js";
import type { SshConnection } from "./connection.js";
import { describeTarget } from "./target.js";

/** Options of {@link openTunnel}. */
export interface TunnelOptions {
  /** Address to reach as seen from the machine. Default `127.0.0.1` (a service bound to the machine's localhost). */
  remoteHost?: string;
  /** Port to reach on the machine, e.g. Garage's admin API port 3903. */
  remotePort: number;
  /** Local port to listen on. Default 0 (a free port, see {@link Tunnel.localPort}). Always on 127.0.0.1. */
  localPort?: number;
  /** Called when forwarding one local connection fails (the local socket is closed). Never throws. */
  onError?: (error: FediError) => void;
}

/** A local port forward: connections to `127.0.0.1:localPort` reach `remoteHost:remotePort` from the machine. */
export interface Tunnel {
  /** Always `127.0.0.1`. */
  readonly localHost: string;
  /** The local port to connect to. */
  readonly localPort: number;
  /** Stops listening and closes every forwarded connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a local port forward through `conn` (SSH `direct-tcpip` channels, like `ssh -L`), e.g. to reach Garage's
 * admin API bound to a storage node's localhost. The tunnel closes itself when the connection closes.
 */
export async function openTunnel(conn: SshConnection, options: TunnelOptions): Promise<Tunnel> {
  const remoteHost = options.remoteHost ?? "127.0.0.1";
  const { remotePort } = options;
  if (!Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535) {
    throw new FediError("SPEC_INVALID", `The tunnel's remote port ${remotePort} is not a TCP port (1 to 65535).`, {
      hint: "Pass the port the service listens on, on the machine.",
    });
  }
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.pause();
    conn.forwardOut(socket.remoteAddress ?? "127.0.0.1", socket.remotePort ?? 0, remoteHost, remotePort).then(
      (channel) => {
        if (socket.destroyed) {
          channel.close();
          return;
        }
        channel.on("error", () => socket.destroy());
        channel.on("close", () => socket.destroy());
        socket.on("close", () => channel.close());
        socket.pipe(channel).pipe(socket);
        socket.resume();
      },
      (cause: unknown) => {
        socket.destroy();
        try {
          options.onError?.(
            new FediError(
              "SSH_FAILED",
              `Could not forward a connection to ${remoteHost}:${remotePort} through ${describeTarget(conn.target)}: ${(cause as Error).message}`,
              {
                machine: conn.target.machine,
                cause,
                hint: "Check that the service listens there on the machine and that sshd allows TCP forwarding (AllowTcpForwarding).",
              },
            ),
          );
        } catch {
          // onError must not break the tunnel.
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) =>
      reject(
        new FediError(
          "SSH_FAILED",
          `Could not listen on 127.0.0.1:${options.localPort ?? 0} for a tunnel: ${cause.message}`,
          {
            machine: conn.target.machine,
            cause,
            hint: "Choose another local port, or leave it to the system (0).",
          },
        ),
      ),
    );
    server.listen(options.localPort ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const localPort = typeof address === "object" && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      off();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return closing;
  };
  const off = conn.onClose(() => void close());
  return { localHost: "127.0.0.1", localPort, close };
}
