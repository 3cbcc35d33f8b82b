import type { S3Client } from "@aws-sdk/client-s3";
import { defaultS3Factory, type S3ClientSettings, type S3Factory } from "../../src/runtime.js";

/** An S3 factory over the real client that records every command sent and the settings of every client built. */
export function recordingS3Factory(): { factory: S3Factory; commands: string[]; settings: S3ClientSettings[] } {
  const commands: string[] = [];
  const settings: S3ClientSettings[] = [];
  const factory: S3Factory = (s) => {
    settings.push(s);
    const client: S3Client = defaultS3Factory(s);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName).replace(/Command$/, ""));
        return next(args);
      },
      { step: "initialize", name: "recordCommands" },
    );
    return client;
  };
  return { factory, commands, settings };
}
