// Sprig's date functions over a minimal Go time.Time: Go layout formatting and parsing,
// time.ParseDuration and Duration.String. "Local" is UTC (ESO's controller image has no TZ).
import { GoInt, GoObject, type GoValue } from '../../go/value.js';
import { type CallContext, FuncError, type FuncTable, def, requireNonDeterministic } from './types.js';

const NS = 1_000_000_000n;

export class GoTime extends GoObject {
  constructor(
    /** Unix seconds. */
    readonly sec: bigint,
    readonly nsec: number,
    /** Zone offset in seconds east of UTC. */
    readonly offset: number,
    readonly zone: string,
  ) {
    super();
  }
  typeName(): string {
    return 'time.Time';
  }
  toString(): string {
    return format(this, '2006-01-02 15:04:05.999999999 -0700 MST');
  }
  /** Time.MarshalJSON: RFC 3339 with nanoseconds. */
  toJSONValue(): GoValue {
    return format(this, '2006-01-02T15:04:05.999999999Z07:00');
  }
  override field(name: string): GoValue | undefined {
    if (name === 'Unix') return new GoInt(this.sec, 'int64');
    if (name === 'UTC') return new GoTime(this.sec, this.nsec, 0, 'UTC');
    if (name === 'String') return this.toString();
    return undefined;
  }
  add(ns: bigint): GoTime {
    const total = this.sec * NS + BigInt(this.nsec) + ns;
    let s = total / NS;
    let n = total % NS;
    if (n < 0n) {
      n += NS;
      s -= 1n;
    }
    return new GoTime(s, Number(n), this.offset, this.zone);
  }
}

/** time.Time{} */
export const zeroTime = (): GoTime => new GoTime(-62135596800n, 0, 0, 'UTC');

const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  min: number;
  sec: number;
  wday: number;
  yday: number;
}

function civil(t: GoTime): Civil {
  const local = t.sec + BigInt(t.offset);
  const dayN = local >= 0n ? local / 86400n : -((-local + 86399n) / 86400n);
  const secOfDay = Number(local - dayN * 86400n);
  // days from civil (Howard Hinnant)
  let z = Number(dayN) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  z = Number(dayN);
  const wday = (((z + 4) % 7) + 7) % 7;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
  const yday = cum[m - 1]! + d + (leap && m > 2 ? 1 : 0);
  return { year: y, month: m, day: d, hour: Math.floor(secOfDay / 3600), min: Math.floor((secOfDay % 3600) / 60), sec: secOfDay % 60, wday, yday };
}

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

type Tok = { lit: string } | { std: string };

/** Splits a Go layout into literal text and std chunks (time.nextStdChunk). */
function chunks(layout: string): Tok[] {
  const out: Tok[] = [];
  let lit = '';
  const push = (std: string): void => {
    if (lit) out.push({ lit });
    lit = '';
    out.push({ std });
  };
  for (let i = 0; i < layout.length; ) {
    const r = layout.slice(i);
    const c = layout[i]!;
    let m: string | null = null;
    switch (c) {
      case 'J':
        if (r.startsWith('January')) m = 'January';
        else if (r.startsWith('Jan')) m = 'Jan';
        break;
      case 'M':
        if (r.startsWith('Monday')) m = 'Monday';
        else if (r.startsWith('Mon')) m = 'Mon';
        else if (r.startsWith('MST')) m = 'MST';
        break;
      case '0':
        if (r.startsWith('002')) m = '002';
        else if (/^0[1-6]/.test(r)) m = r.slice(0, 2);
        break;
      case '1':
        m = r.startsWith('15') ? '15' : '1';
        break;
      case '2':
        m = r.startsWith('2006') ? '2006' : '2';
        break;
      case '_':
        if (r.startsWith('_2') && !r.startsWith('_2006')) m = '_2';
        else if (r.startsWith('__2')) m = '__2';
        break;
      case '3':
      case '4':
      case '5':
        m = c;
        break;
      case 'P':
        if (r.startsWith('PM')) m = 'PM';
        break;
      case 'p':
        if (r.startsWith('pm')) m = 'pm';
        break;
      case '-':
      case 'Z': {
        for (const z of ['070000', '07:00:00', '0700', '07:00', '07']) if (r.startsWith(c + z)) {
          m = c + z;
          break;
        }
        break;
      }
      case '.':
      case ',': {
        const f = /^[.,](0+|9+)/.exec(r);
        if (f && !/[0-9]/.test(layout[i + f[0].length] ?? '')) m = f[0];
        break;
      }
    }
    if (m) {
      push(m);
      i += m.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

function fmtZone(offset: number, std: string): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const body = std.slice(1);
  switch (body) {
    case '070000':
      return sign + hh + mm + ss;
    case '07:00:00':
      return `${sign}${hh}:${mm}:${ss}`;
    case '0700':
      return sign + hh + mm;
    case '07:00':
      return `${sign}${hh}:${mm}`;
    default:
      return sign + hh;
  }
}

/** Time.Format */
export function format(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  for (const tok of chunks(layout)) {
    if ('lit' in tok) {
      out += tok.lit;
      continue;
    }
    const s = tok.std;
    switch (s) {
      case 'January':
        out += months[c.month - 1];
        break;
      case 'Jan':
        out += months[c.month - 1]!.slice(0, 3);
        break;
      case 'Monday':
        out += days[c.wday];
        break;
      case 'Mon':
        out += days[c.wday]!.slice(0, 3);
        break;
      case 'MST':
        // Go prints the -0700 form when the zone has no name.
        out += t.zone || fmtZone(t.offset, '-0700');
        break;
      case '01':
        out += pad(c.month, 2);
        break;
      case '1':
        out += c.month;
        break;
      case '02':
        out += pad(c.day, 2);
        break;
      case '2':
        out += c.day;
        break;
      case '_2':
        out += pad(c.day, 2, ' ');
        break;
      case '002':
        out += pad(c.yday, 3);
        break;
      case '__2':
        out += pad(c.yday, 3, ' ');
        break;
      case '2006':
        out += c.year < 0 ? `-${pad(-c.year, 4)}` : pad(c.year, 4);
        break;
      case '06':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case '15':
        out += pad(c.hour, 2);
        break;
      case '03':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case '3':
        out += c.hour % 12 === 0 ? 12 : c.hour % 12;
        break;
      case '04':
        out += pad(c.min, 2);
        break;
      case '4':
        out += c.min;
        break;
      case '05':
        out += pad(c.sec, 2);
        break;
      case '5':
        out += c.sec;
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      default:
        if (s[0] === '-' || s[0] === 'Z') out += fmtZone(t.offset, s);
        else {
          // fractional seconds
          const digits = s.length - 1;
          let frac = pad(t.nsec, 9).slice(0, digits);
          if (s[1] === '9') {
            frac = frac.replace(/0+$/, '');
            if (frac) out += s[0] + frac;
          } else out += s[0] + frac;
        }
    }
  }
  return out;
}

export class TimeParseError extends Error {}

/** time.ParseInLocation(layout, value, UTC); errors never include the value. */
export function parseTime(layout: string, value: string): GoTime {
  let v = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm: boolean | null = null;
  let offset: number | null = null;
  let zone = '';
  const fail = (elem: string): never => {
    throw new TimeParseError(`parsing time as ${JSON.stringify(layout)}: cannot parse value as ${JSON.stringify(elem)}`);
  };
  const num = (elem: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(v);
    if (!m) fail(elem);
    v = v.slice(m![0].length);
    return Number(m![0]);
  };
  const name = (elem: string, list: string[], short: boolean): number => {
    for (let i = 0; i < list.length; i++) {
      const n = short ? list[i]!.slice(0, 3) : list[i]!;
      if (v.toLowerCase().startsWith(n.toLowerCase())) {
        v = v.slice(n.length);
        return i;
      }
    }
    return fail(elem);
  };
  for (const tok of chunks(layout)) {
    if ('lit' in tok) {
      if (!v.startsWith(tok.lit)) fail(tok.lit);
      v = v.slice(tok.lit.length);
      continue;
    }
    const s = tok.std;
    switch (s) {
      case 'January':
      case 'Jan':
        month = name(s, months, s === 'Jan') + 1;
        break;
      case 'Monday':
      case 'Mon':
        name(s, days, s === 'Mon');
        break;
      case '01':
        month = num(s, 2, 2);
        break;
      case '1':
        month = num(s, 1, 2);
        break;
      case '02':
        day = num(s, 2, 2);
        break;
      case '2':
        day = num(s, 1, 2);
        break;
      case '_2':
        if (v.startsWith(' ')) v = v.slice(1);
        day = num(s, 1, 2);
        break;
      case '002':
        num(s, 3, 3);
        break;
      case '2006':
        year = num(s, 4, 4);
        break;
      case '06': {
        const y = num(s, 2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '15':
        hour = num(s, 2, 2);
        break;
      case '03':
        hour = num(s, 2, 2);
        break;
      case '3':
        hour = num(s, 1, 2);
        break;
      case '04':
        min = num(s, 2, 2);
        break;
      case '4':
        min = num(s, 1, 2);
        break;
      case '05':
        sec = num(s, 2, 2);
        break;
      case '5':
        sec = num(s, 1, 2);
        break;
      case 'PM':
      case 'pm': {
        const p = v.slice(0, 2).toUpperCase();
        if (p !== 'AM' && p !== 'PM') fail(s);
        pm = p === 'PM';
        v = v.slice(2);
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}|^[+-]\d\d/.exec(v);
        if (!m) fail(s);
        zone = m![0];
        v = v.slice(zone.length);
        if (zone === 'UTC' || zone === 'GMT') offset = offset ?? 0;
        break;
      }
      default:
        if (s[0] === '-' || s[0] === 'Z') {
          if (s[0] === 'Z' && v.startsWith('Z')) {
            v = v.slice(1);
            offset = 0;
            zone = 'UTC';
            break;
          }
          const m = /^([+-])(\d\d)(:?(\d\d))?(:?(\d\d))?/.exec(v);
          if (!m) fail(s);
          const want = s.replace(/^[-Z]/, '');
          const hasMin = want.length > 2;
          const hasSec = want.length > 5 && (want === '070000' || want === '07:00:00');
          const hh = Number(m![2]);
          const mm = hasMin ? Number(m![4] ?? 'x') : 0;
          const ss = hasSec ? Number(m![6] ?? 'x') : 0;
          if (Number.isNaN(mm) || Number.isNaN(ss)) fail(s);
          offset = (m![1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
          v = v.slice((hasSec ? m![0] : hasMin ? `${m![1]}${m![2]}${m![3]}` : `${m![1]}${m![2]}`).length);
        } else {
          const f = /^[.,](\d+)/.exec(v);
          if (!f) {
            if (s[1] === '9') break;
            fail(s);
          }
          nsec = Number(f![1]!.padEnd(9, '0').slice(0, 9));
          v = v.slice(f![0].length);
        }
    }
    // Go also accepts fractional seconds after a seconds field even if the layout has none.
    if ((s === '05' || s === '5') && /^[.,]\d/.test(v)) {
      const f = /^[.,](\d+)/.exec(v)!;
      nsec = Number(f[1]!.padEnd(9, '0').slice(0, 9));
      v = v.slice(f[0].length);
    }
  }
  if (v !== '') throw new TimeParseError(`parsing time as ${JSON.stringify(layout)}: extra text after the layout`);
  if (pm !== null) {
    if (hour > 12) fail('15');
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new TimeParseError(`parsing time as ${JSON.stringify(layout)}: month out of range`);
  const dim = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > dim || hour > 23 || min > 59 || sec > 59) throw new TimeParseError(`parsing time as ${JSON.stringify(layout)}: day out of range`);
  const local = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + min * 60 + sec);
  const off = offset ?? 0;
  return new GoTime(local - BigInt(off), nsec, off, offset === null ? (zone || 'UTC') : off === 0 ? 'UTC' : zone);
}

const units: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: NS, m: 60n * NS, h: 3600n * NS };

/** time.ParseDuration; null on error. */
export function parseDuration(s: string): bigint | null {
  let str = s;
  let neg = false;
  if (str.startsWith('-') || str.startsWith('+')) {
    neg = str[0] === '-';
    str = str.slice(1);
  }
  if (str === '0') return 0n;
  if (str === '') return null;
  let total = 0n;
  while (str !== '') {
    const m = /^(\d*)(\.(\d*))?([^\d.]+)/.exec(str);
    if (!m || (m[1] === '' && (m[3] ?? '') === '')) return null;
    const unit = units[m[4]!.replace(/[\d.].*$/, '')];
    const u = /^(ns|us|µs|μs|ms|s|m|h)/.exec(m[4]!);
    if (!u || unit === undefined) return null;
    const whole = BigInt(m[1] || '0');
    const frac = m[3] ?? '';
    let v = whole * units[u[1]!]!;
    if (frac) v += (BigInt(frac) * units[u[1]!]!) / 10n ** BigInt(frac.length);
    total += v;
    str = str.slice(m[1]!.length + (m[2]?.length ?? 0) + u[1]!.length);
  }
  return neg ? -total : total;
}

/** time.Duration.String */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < NS) {
    let unit = 'ns';
    let div = 1n;
    if (u >= 1_000_000n) {
      unit = 'ms';
      div = 1_000_000n;
    } else if (u >= 1000n) {
      unit = 'µs';
      div = 1000n;
    }
    out = fracString(u, div) + unit;
  } else {
    const h = u / (3600n * NS);
    u -= h * 3600n * NS;
    const m = u / (60n * NS);
    u -= m * 60n * NS;
    out = `${fracString(u, NS)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fracString(v: bigint, div: bigint): string {
  const w = v / div;
  const f = v % div;
  if (f === 0n) return w.toString();
  const digits = div.toString().length - 1;
  return `${w}.${f.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** The clock, read only when non-deterministic functions are allowed. */
function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
function nowTime(): GoTime {
  const ns = nowNanos();
  return new GoTime(ns / NS, Number(ns % NS), 0, 'UTC');
}

function asTime(ctx: CallContext, name: string, v: GoValue): GoTime {
  if (v instanceof GoTime) return v;
  if (typeof v === 'bigint') return new GoTime(v, 0, 0, 'UTC');
  if (v instanceof GoInt && (v.type === 'int64' || v.type === 'int32')) return new GoTime(v.v, 0, 0, 'UTC');
  requireNonDeterministic(ctx, name, 'called without a time or unix seconds, it formats the current time');
  return nowTime();
}

function inZone(t: GoTime, zone: string): GoTime {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return new GoTime(t.sec, t.nsec, 0, 'UTC');
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    const part = f.formatToParts(new Date(Number(t.sec) * 1000)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d\d):?(\d\d)?/.exec(part);
    const off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
    // tzdata abbreviations: en-US knows the American ones, en-GB the European ones; zones
    // without one are named like "+09" in tzdata, as Go prints them.
    const abbrev = (locale: string): string =>
      new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(Number(t.sec) * 1000)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    let short = abbrev('en-US');
    if (!/^[A-Z]{2,5}$/.test(short) || short.startsWith('GMT')) short = abbrev('en-GB');
    if (!/^[A-Z]{2,5}$/.test(short) || (short.startsWith('GMT') && off !== 0)) short = fmtZone(off, off % 3600 === 0 ? '-07' : '-0700');
    return new GoTime(t.sec, t.nsec, off, short);
  } catch {
    return new GoTime(t.sec, t.nsec, 0, 'UTC');
  }
}

export function dateFuncs(t: FuncTable): void {
  const S = 'string' as const;
  const A = 'any' as const;
  const T = 'time' as const;
  const str = (v: GoValue | undefined): string => v as string;
  const dateInZone = (ctx: CallContext, name: string, fmt: string, d: GoValue, zone: string): string => format(inZone(asTime(ctx, name, d), zone), fmt);
  t.set('date', def([S, A], (ctx, f, d) => dateInZone(ctx, 'date', str(f), d ?? null, 'Local')));
  t.set('htmlDate', def([A], (ctx, d) => dateInZone(ctx, 'htmlDate', '2006-01-02', d ?? null, 'Local')));
  t.set('htmlDateInZone', def([A, S], (ctx, d, z) => dateInZone(ctx, 'htmlDateInZone', '2006-01-02', d ?? null, str(z))));
  const diz = def([S, A, S], (ctx, f, d, z) => dateInZone(ctx, 'dateInZone', str(f), d ?? null, str(z)));
  t.set('dateInZone', diz);
  t.set('date_in_zone', diz);
  const modify = def([S, T], (_c, f, d) => {
    const n = parseDuration(str(f));
    return n === null ? (d as GoTime) : (d as GoTime).add(n);
  });
  t.set('dateModify', modify);
  t.set('date_modify', modify);
  const mustModify = def([S, T], (_c, f, d) => {
    const n = parseDuration(str(f));
    if (n === null) throw new FuncError('time: invalid duration');
    return (d as GoTime).add(n);
  });
  t.set('mustDateModify', mustModify);
  t.set('must_date_modify', mustModify);
  t.set(
    'ago',
    def([A], (ctx, d) => {
      requireNonDeterministic(ctx, 'ago', 'it depends on the current time');
      const then = d instanceof GoTime ? d : typeof d === 'bigint' || (d instanceof GoInt && d.type === 'int64') ? asTime(ctx, 'ago', d) : nowTime();
      const since = nowNanos() - (then.sec * NS + BigInt(then.nsec));
      // time.Duration.Round(time.Second), halves away from zero
      const r = since < 0n ? -((-since + NS / 2n) / NS) : (since + NS / 2n) / NS;
      return durationString(r * NS);
    }),
  );
  t.set('now', def([], () => nowTime(), { nondeterministic: 'it returns the current time' }));
  t.set(
    'duration',
    def([A], (_c, sec) => {
      let n = 0n;
      if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? BigInt(sec) : 0n;
      else if (sec instanceof GoInt && sec.type === 'int64') n = sec.v;
      return durationString(BigInt.asIntN(64, n * NS));
    }),
  );
  t.set(
    'durationRound',
    def([A], (ctx, dv) => {
      let d = 0n;
      if (typeof dv === 'string') d = parseDuration(dv) ?? 0n;
      else if (dv instanceof GoInt && dv.type === 'int64') d = dv.v;
      else if (dv instanceof GoTime) {
        requireNonDeterministic(ctx, 'durationRound', 'with a time it measures the time since then');
        d = nowNanos() - (dv.sec * NS + BigInt(dv.nsec));
      }
      const u = d < 0n ? -d : d;
      const hour = 3600n * NS;
      const steps: [bigint, string][] = [
        [hour * 24n * 365n, 'y'],
        [hour * 24n * 30n, 'mo'],
        [hour * 24n, 'd'],
        [hour, 'h'],
        [60n * NS, 'm'],
        [NS, 's'],
      ];
      for (const [size, unit] of steps) if (u > size) return `${u / size}${unit}`;
      return '0s';
    }),
  );
  t.set(
    'toDate',
    def([S, S], (_c, f, s) => {
      try {
        return parseTime(str(f), str(s));
      } catch (e) {
        if (e instanceof TimeParseError) return zeroTime();
        throw e;
      }
    }),
  );
  t.set(
    'mustToDate',
    def([S, S], (_c, f, s) => {
      try {
        return parseTime(str(f), str(s));
      } catch (e) {
        if (e instanceof TimeParseError) throw new FuncError(e.message);
        throw e;
      }
    }),
  );
  t.set('unixEpoch', def([T], (_c, d) => (d as GoTime).sec.toString()));
}
