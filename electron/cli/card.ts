// `npm run --silent card -- <command>`: the technician's card-reader tool (issue 4 contract).
//   list                                   JSON array of serial ports (from the kernel, said on stderr,
//                                          when the platform listing or its helper udevadm is missing)
//   read   --port PATH [--baud 38400]      one JSON holder object, exit 0; or {"error","message"}, exit 3
//   status --port PATH [--baud 38400]      {"firmware","card"}; exit 0 or 3
//   trace  --port PATH [--baud 38400]      a read with every frame as timestamped hex (holder data
//                                          masked), then the outcome as JSON (redacted); exit 0 or 3
//   beep   --port PATH [--baud] [--ms 100] exit 0 or 3
//   simulate --port PATH [--baud] [--card FIXTURE|none|foreign|mute] [--psam none|emulated]
//                                          runs the simulated reader on PATH until Ctrl-C (dev aid)
// Bad arguments exit 2 naming the argument. The port is always closed before exiting.
import { redactCardholder } from '../../core/card/cardholder';
import { type CardFailure } from '../../core/card/errors';
import { formatTraceEvent } from '../../core/reader/trace-format';
import { type TraceEvent } from '../../core/reader/trace';
import { ForeignCpuCard, MuteCard, type SimCard } from '../../native/reader-sim/card-model';
import { startSerialSimulator } from '../../native/reader-sim/serial-sim';
import { simCardFor, TRAINING_CARDS, trainingCard } from '../../native/reader-sim/training-cards';
import { systemClock } from '../../native/serial/clock';
import { listPorts } from '../../native/serial/list';
import { createSerialCardReader, DEFAULT_BAUD } from '../../native/serial/serial-reader';
import { SUPPORTED_BAUDS } from '../../native/serial/settings';
import { parseFlags, UsageError } from './flags';

const EXIT_OK = 0;
const EXIT_USAGE = 2;
const EXIT_FAILED = 3;
const COMMANDS = ['list', 'read', 'status', 'trace', 'beep', 'simulate'] as const;
const USAGE = `usage: npm run --silent card -- <${COMMANDS.join('|')}> [--port PATH] [--baud ${SUPPORTED_BAUDS.join('|')}]`;

const portFlags = { port: { type: 'string' }, baud: { type: 'string' } } as const;

function requirePort(value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError('--port is required (a serial device such as /dev/ttyUSB0 or COM3; see `card list`)');
  return value;
}

function parseBaud(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BAUD;
  const baud = Number(value);
  if (!/^\d+$/.test(value) || !(SUPPORTED_BAUDS as readonly number[]).includes(baud)) {
    throw new UsageError(`--baud must be one of ${SUPPORTED_BAUDS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return baud;
}

function parseBeepMs(value: string | undefined): number {
  if (value === undefined) return 100;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 10 || ms > 2550) throw new UsageError(`--ms must be a whole number of milliseconds from 10 to 2550, got ${JSON.stringify(value)}`);
  return ms;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function printFailure(outcome: CardFailure): number {
  printJson({ error: outcome.error, message: outcome.message });
  return EXIT_FAILED;
}

/** Runs `work` with a reader on PORT and closes the port whatever happens (also on Ctrl-C). */
async function withReader<T>(argv: readonly string[], extra: Record<string, { type: 'string' }>, work: (reader: ReturnType<typeof createSerialCardReader>, flags: Record<string, string | undefined>) => Promise<T>, trace?: (e: TraceEvent) => void): Promise<T> {
  const flags = parseFlags(argv, { ...portFlags, ...extra }) as Record<string, string | undefined>;
  const path = requirePort(flags.port);
  const baud = parseBaud(flags.baud);
  const reader = createSerialCardReader({ path, baud, trace });
  const interrupt = (): void => { void reader.close().then(() => process.exit(130)); };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await work(reader, flags);
  } finally {
    await reader.close();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

async function read(argv: readonly string[]): Promise<number> {
  return withReader(argv, {}, async (reader) => {
    const outcome = await reader.readCard();
    if (!outcome.ok) return printFailure(outcome);
    printJson(outcome.holder);
    return EXIT_OK;
  });
}

async function trace(argv: readonly string[]): Promise<number> {
  const t0 = systemClock.now();
  let done = false;
  // After the outcome only the closing of the port would follow: the JSON stays the last line.
  const sink = (event: TraceEvent): void => { if (!done) process.stdout.write(`${formatTraceEvent(event, t0)}\n`); };
  return withReader(argv, {}, async (reader) => {
    const outcome = await reader.readCard();
    done = true;
    if (!outcome.ok) return printFailure(outcome);
    printJson(redactCardholder(outcome.holder));
    return EXIT_OK;
  }, sink);
}

async function status(argv: readonly string[]): Promise<number> {
  return withReader(argv, {}, async (reader) => {
    const outcome = await reader.status();
    if (!outcome.ok) return printFailure(outcome);
    printJson({ firmware: outcome.firmware, card: outcome.card });
    return EXIT_OK;
  });
}

async function beep(argv: readonly string[]): Promise<number> {
  return withReader(argv, { ms: { type: 'string' } }, async (reader, flags) => {
    const outcome = await reader.beep(parseBeepMs(flags.ms));
    if (!outcome.ok) return printFailure(outcome);
    printJson({ ok: true });
    return EXIT_OK;
  });
}

async function list(argv: readonly string[]): Promise<number> {
  parseFlags(argv, {});
  const listing = await listPorts();
  printJson(listing.ports);
  // The list stays the same JSON array either way; how it was found goes to stderr.
  if (listing.fallback) {
    const why = listing.fallback.reason === 'helper-missing' ? `${listing.fallback.program} is not installed` : `the platform listing failed (${listing.fallback.detail})`;
    process.stderr.write(`card: ports listed from the kernel (/sys/class/tty, /dev/serial/by-id, /dev/tty{S,USB,ACM}*) because ${why}; vendor details may be missing\n`);
  }
  return EXIT_OK;
}

function simCard(value: string | undefined): SimCard | null {
  if (value === undefined) return simCardFor(TRAINING_CARDS[0]!);
  if (value === 'none') return null;
  if (value === 'foreign') return new ForeignCpuCard();
  if (value === 'mute') return new MuteCard();
  try {
    return simCardFor(trainingCard(value));
  } catch (error) {
    throw new UsageError(`--card: ${error instanceof Error ? error.message : String(error)} (or none, foreign, mute)`);
  }
}

async function simulate(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { ...portFlags, card: { type: 'string' }, psam: { type: 'string' } });
  const path = requirePort(flags.port);
  const baud = parseBaud(flags.baud);
  if (flags.psam !== undefined && flags.psam !== 'none' && flags.psam !== 'emulated') throw new UsageError(`--psam must be none or emulated, got ${JSON.stringify(flags.psam)}`);
  const card = simCard(flags.card);
  const simulator = await startSerialSimulator(path, { baud, card, psam: flags.psam === 'emulated' ? 'emulated' : 'none' });
  process.stderr.write(`simulated reader on ${path} at ${baud} baud, card: ${card?.label ?? 'none'}; Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await simulator.close();
  return EXIT_OK;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'list': return list(rest);
    case 'read': return read(rest);
    case 'status': return status(rest);
    case 'trace': return trace(rest);
    case 'beep': return beep(rest);
    case 'simulate': return simulate(rest);
    case '--help': case '-h': case 'help': process.stdout.write(`${USAGE}\n`); return EXIT_OK;
    case undefined: throw new UsageError(`a command is required\n${USAGE}`);
    default: throw new UsageError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}


main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`card: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`card: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
