// The self-test's trace rows in each reader kind's own terms: frames as hex for the serial protocol,
// C-APDU/R-APDU with the status word for PC/SC, calls with their return codes for a vendor library.
// Holder bytes are masked (EF06 values; library output is summarised, never shown raw).
import { toSpacedHex } from '../../core/card/bytes';
import { type FrameTrace } from '../../core/contracts/technician';
import { describeResponse, formatTraceEvent, maskedFrameHex, maskedResponseHex } from '../../core/reader/trace-format';
import { type TraceEvent } from '../../core/reader/trace';
import { describeApdu } from '../../core/card/apdu';
import { type z } from 'zod';

type Row = z.infer<typeof FrameTrace>;

export function traceRows(events: readonly TraceEvent[]): Row[] {
  const t0 = events[0]?.at ?? 0;
  return events.flatMap((e): Row[] => {
    const t = Math.round((e.at - t0) * 1000) / 1000;
    // The formatted line's tail describes the frame (command, status word) with holder bytes masked.
    const description = (): string | null => formatTraceEvent(e, t0).split(/\s{2,}/).slice(4).join(' ') || null;
    switch (e.kind) {
      case 'tx': return [{ t, dir: 'tx', hex: toSpacedHex(e.bytes), note: description() }];
      case 'rx': return [{ t, dir: 'rx', hex: maskedFrameHex(e.frame, e.command?.name === 'apdu' ? e.command.data : undefined), note: description() }];
      case 'drop': return [{ t, dir: 'rx', hex: toSpacedHex(e.bytes), note: `dropped (${e.reason})` }];
      case 'note': return [{ t, dir: 'rx', hex: '', note: e.message }];
      case 'apdu': return [
        { t, dir: 'tx', hex: toSpacedHex(e.command), note: describeApdu(e.command) },
        { t: Math.round((e.at + e.ms - t0) * 1000) / 1000, dir: 'rx', hex: e.response ? maskedResponseHex(e.command, e.response) : '', note: `${describeResponse(e.command, e.response, e.error)} (${e.ms.toFixed(1)} ms)` },
      ];
      case 'call': return [{ t, dir: 'tx', hex: '', note: `${e.fn}(${e.args}) → ${e.rc} (${e.ms.toFixed(1)} ms)${e.detail ? ` ${e.detail}` : ''}` }];
    }
  });
}
