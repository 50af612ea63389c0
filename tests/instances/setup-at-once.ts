/**
 * `cli setup`, started at an agreed moment (START_AT, ms since the epoch) rather than as soon as
 * the process is up, so that several processes reach the database within a millisecond of each
 * other: the race the setup lock exists for. Exits with the command's exit code.
 */
import { run } from "../../app/cli";

const startAt = Number(process.env.START_AT);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
process.exit(await run(["setup"]));
