/** The `--redis` URL: checked once, shown only with its password redacted. */
import { UsageError } from "../cli/errors.ts";
import { quote, redactCredentials } from "../process/safe_text.ts";

/** A Redis address as the cluster mode and the worker use it. */
export interface RedisTarget {
  /** The URL as given (it may hold a password: never print it, use `shown`). */
  readonly url: string;
  /** The URL with any user and password replaced by `***`. */
  readonly shown: string;
  /** `host:port`, for `--allow-net`. */
  readonly hostPort: string;
}

/** Checks `redis://[user:password@]host[:port][/db]` (or `rediss://`) and names its host. */
export function parseRedisUrl(value: string, flag = "--redis"): RedisTarget {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`${flag} must be a URL like redis://127.0.0.1:6379, got ${quote(value)}`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new UsageError(
      `${flag} must start with redis:// or rediss://, got ${quote(value)}`,
    );
  }
  if (url.hostname === "") throw new UsageError(`${flag} names no host: ${quote(value)}`);
  if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d{1,2}$/.test(url.pathname)) {
    throw new UsageError(`${flag}: the path must be a database number, got ${quote(value)}`);
  }
  const port = url.port === "" ? "6379" : url.port;
  return {
    url: value.trim(),
    shown: redactCredentials(value.trim()),
    hostPort: `${url.hostname}:${port}`,
  };
}
