// One line per trace event for `card trace`: timestamp, direction, hex, meaning. Holder data never
// appears: the value bytes of EF06 records are masked, and dropped bytes show only their start.
import { describeApdu } from '../card/apdu';
import { describeStatusWord, statusWord } from '../card/status-words';
import { hex2, toSpacedHex } from '../card/bytes';
import { recordByTag } from '../card/records';
import { type Frame } from './frame';
import { commandByCode, COMMANDS, NEGATIVE_CODES } from './table';
import { type TraceEvent } from './trace';

const MASK = '··';
/** Offset of the R-APDU in a positive APDU reply frame: F2 LEN LEN 50 CM PM S1 S0. */
const RAPDU_AT = 8;

/** Hex of a reply frame with personal record values masked (READ RECORD of an EF06 record). */
export function maskedFrameHex(frame: Frame, apdu: Uint8Array | undefined): string {
  const parts = toSpacedHex(frame.raw).split(' ');
  const isRead = apdu !== undefined && apdu[1] === 0xb2 && frame.kind === 'positive' && frame.cm === COMMANDS.apdu.cm && frame.pm === COMMANDS.apdu.pm;
  if (isRead && recordByTag(apdu[2]!)?.personal) {
    // R-APDU = tag len value SW1 SW2; mask value (frame ends with SW1 SW2 03 BCC).
    for (let i = RAPDU_AT + 2; i < parts.length - 4; i++) parts[i] = MASK;
  }
  return parts.join(' ');
}

/** An R-APDU as hex with the value of a personal record masked (READ RECORD of an EF06 record). */
export function maskedResponseHex(command: Uint8Array, response: Uint8Array): string {
  const parts = toSpacedHex(response).split(' ');
  if (command[1] === 0xb2 && recordByTag(command[2]!)?.personal) {
    // R-APDU = tag len value SW1 SW2: keep tag, length and SW.
    for (let i = 2; i < parts.length - 2; i++) parts[i] = MASK;
  }
  return parts.join(' ');
}

export function describeResponse(command: Uint8Array, response: Uint8Array | null, error: string | undefined): string {
  if (!response) return `${describeApdu(command)}: ${error ?? 'no response'}`;
  if (response.length < 2) return `${describeApdu(command)}: ${response.length} byte(s), no status word`;
  const sw = statusWord(response[response.length - 2]!, response[response.length - 1]!);
  return `${describeApdu(command)}: ${describeStatusWord(sw)}`;
}

function describeFrame(frame: Frame, apdu: Uint8Array | undefined): string {
  const name = commandByCode(frame.cm, frame.pm)?.[1].name ?? `CM ${hex2(frame.cm)} PM ${hex2(frame.pm)}`;
  if (frame.kind === 'negative') return `N ${frame.status} (${NEGATIVE_CODES[frame.status]?.meaning ?? 'unknown code'}) to ${name}`;
  if (frame.kind === 'command') return `command ${name}`;
  if (apdu && frame.data.length >= 2) {
    const sw = toSpacedHex(frame.data.subarray(frame.data.length - 2)).replace(' ', '');
    return `P ${frame.status} to ${describeApdu(apdu)}: SW ${sw}`;
  }
  return `P ${frame.status} to ${name}`;
}

export function formatTraceEvent(event: TraceEvent, t0: number): string {
  const at = `${(event.at - t0).toFixed(3).padStart(10)} ms`;
  switch (event.kind) {
    case 'tx': {
      const apdu = event.command.name === 'apdu' ? ` ${describeApdu(event.command.data)}` : '';
      const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
      return `${at}  host→reader  ${toSpacedHex(event.bytes)}  ${COMMANDS[event.command.name].name}${apdu}${attempt}`;
    }
    case 'rx': {
      const apdu = event.command?.name === 'apdu' ? event.command.data : undefined;
      const stale = event.command ? '' : ' [stale: dropped]';
      return `${at}  reader→host  ${maskedFrameHex(event.frame, apdu)}  ${describeFrame(event.frame, apdu)}${stale}`;
    }
    case 'drop': {
      const head = toSpacedHex(event.bytes.subarray(0, 4));
      return `${at}  reader→host  dropped ${event.bytes.length} byte(s) (${event.reason}): ${head}${event.bytes.length > 4 ? ' …' : ''}`;
    }
    case 'note':
      return `${at}  note         ${event.message}`;
    case 'apdu': {
      const tx = `${at}  host→card    ${toSpacedHex(event.command)}  ${describeApdu(event.command)}`;
      const rx = event.response ? maskedResponseHex(event.command, event.response) : '--';
      return `${tx}\n${' '.repeat(at.length)}  card→host    ${rx}  ${describeResponse(event.command, event.response, event.error)} (${event.ms.toFixed(1)} ms)`;
    }
    case 'call':
      return `${at}  call         ${event.fn}(${event.args}) → ${event.rc} (${event.ms.toFixed(1)} ms)${event.detail ? `  ${event.detail}` : ''}`;
  }
}
