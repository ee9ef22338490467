/**
 * Kusto's unit conversions (`convert_length`, `convert_angle`, `convert_force`, `convert_energy`,
 * `convert_mass`, `convert_speed`, `convert_temperature`): a value times the `from` unit's size
 * over the `to` unit's. Each unit here has an exact definition (the international inch and pound,
 * the thermochemical calorie, the IT British thermal unit…). Units of Kusto's lists whose factor
 * has changed between versions of the units library Kusto uses (parsecs, electronvolts, therms,
 * solar and earth units, `Tilt`…) are refused by name; a name on no list gives null, as Kusto's
 * documentation says.
 */
import type { Expr } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { Emit, IScalarEmitter } from './functions/emit';

const INCH = 0.0254;
const FOOT = 0.3048;
const POUND = 0.45359237;
const POUND_FORCE = POUND * 9.80665;
const BTU = 1055.05585262;

/** Lengths in meters. */
const LENGTH: Record<string, number> = {
  Meter: 1,
  Kilometer: 1e3,
  Hectometer: 1e2,
  Decameter: 1e1,
  Decimeter: 1e-1,
  Centimeter: 1e-2,
  Millimeter: 1e-3,
  Micrometer: 1e-6,
  Nanometer: 1e-9,
  Angstrom: 1e-10,
  Inch: INCH,
  Foot: FOOT,
  Yard: 0.9144,
  Mile: 1609.344,
  NauticalMile: 1852,
  Mil: INCH / 1000,
  Microinch: INCH / 1e6,
  Hand: 0.1016,
  Fathom: 1.8288,
  Chain: 20.1168,
  Shackle: 27.432,
  Twip: INCH / 1440,
  DtpPica: INCH / 6,
  DtpPoint: INCH / 72,
  PrinterPoint: INCH / 72.27,
  PrinterPica: INCH / 6.0225,
  UsSurveyFoot: 1200 / 3937,
  DataMile: 1828.8,
  AstronomicalUnit: 1.495978707e11,
  LightYear: 9460730472580800,
  KilolightYear: 9460730472580800e3,
  MegalightYear: 9460730472580800e6
};

const DEGREES_PER_RADIAN = 180 / Math.PI;

/** Angles in degrees. */
const ANGLE: Record<string, number> = {
  Degree: 1,
  Millidegree: 1e-3,
  Microdegree: 1e-6,
  Nanodegree: 1e-9,
  Arcminute: 1 / 60,
  Arcsecond: 1 / 3600,
  Gradian: 0.9,
  Revolution: 360,
  NatoMil: 360 / 6400,
  Radian: DEGREES_PER_RADIAN,
  Deciradian: DEGREES_PER_RADIAN / 10,
  Centiradian: DEGREES_PER_RADIAN / 100,
  Milliradian: DEGREES_PER_RADIAN / 1e3,
  Microradian: DEGREES_PER_RADIAN / 1e6,
  Nanoradian: DEGREES_PER_RADIAN / 1e9
};

/** Forces in newtons. */
const FORCE: Record<string, number> = {
  Newton: 1,
  Decanewton: 10,
  Kilonewton: 1e3,
  Meganewton: 1e6,
  Millinewton: 1e-3,
  Micronewton: 1e-6,
  Dyn: 1e-5,
  KilogramForce: 9.80665,
  KiloPond: 9.80665,
  TonneForce: 9806.65,
  PoundForce: POUND_FORCE,
  KilopoundForce: POUND_FORCE * 1e3,
  OunceForce: POUND_FORCE / 16,
  ShortTonForce: POUND_FORCE * 2000,
  Poundal: POUND * FOOT
};

/** Energies in joules. */
const ENERGY: Record<string, number> = {
  Joule: 1,
  Millijoule: 1e-3,
  Kilojoule: 1e3,
  Megajoule: 1e6,
  Gigajoule: 1e9,
  Erg: 1e-7,
  WattHour: 3600,
  KilowattHour: 3600e3,
  MegawattHour: 3600e6,
  GigawattHour: 3600e9,
  TerawattHour: 3600e12,
  WattDay: 86400,
  KilowattDay: 86400e3,
  MegawattDay: 86400e6,
  GigawattDay: 86400e9,
  TerawattDay: 86400e12,
  Calorie: 4.184,
  Kilocalorie: 4184,
  Megacalorie: 4.184e6,
  BritishThermalUnit: BTU,
  KilobritishThermalUnit: BTU * 1e3,
  MegabritishThermalUnit: BTU * 1e6,
  GigabritishThermalUnit: BTU * 1e9
};

/** Masses in kilograms. */
const MASS: Record<string, number> = {
  Kilogram: 1,
  Gram: 1e-3,
  Hectogram: 1e-1,
  Decagram: 1e-2,
  Decigram: 1e-4,
  Centigram: 1e-5,
  Milligram: 1e-6,
  Microgram: 1e-9,
  Nanogram: 1e-12,
  Tonne: 1e3,
  Kilotonne: 1e6,
  Megatonne: 1e9,
  Pound: POUND,
  Kilopound: POUND * 1e3,
  Megapound: POUND * 1e6,
  Ounce: POUND / 16,
  Grain: POUND / 7000,
  Stone: POUND * 14,
  ShortTon: POUND * 2000,
  LongTon: POUND * 2240,
  ShortHundredweight: POUND * 100,
  LongHundredweight: POUND * 112
};

/** Speeds in meters per second: each length unit per second, minute and hour, and knots. */
const SPEED: Record<string, number> = {
  Knot: 1852 / 3600,
  MilePerHour: 1609.344 / 3600
};
for (const unit of [
  'Meter',
  'Centimeter',
  'Decimeter',
  'Kilometer',
  'Micrometer',
  'Millimeter',
  'Nanometer',
  'Foot',
  'Inch',
  'Yard',
  'UsSurveyFoot'
]) {
  SPEED[`${unit}PerSecond`] = LENGTH[unit];
  SPEED[`${unit}PerMinute`] = LENGTH[unit] / 60;
  SPEED[`${unit}PerHour`] = LENGTH[unit] / 3600;
}

/** Each family's units, and the units of Kusto's list that are refused, with why. */
const FAMILIES: Record<
  string,
  { units: Record<string, number>; refused: string[] }
> = {
  convert_length: {
    units: LENGTH,
    refused: ['Parsec', 'Kiloparsec', 'Megaparsec', 'SolarRadius']
  },
  convert_angle: { units: ANGLE, refused: ['Tilt'] },
  convert_force: { units: FORCE, refused: [] },
  convert_energy: {
    units: ENERGY,
    refused: [
      'ElectronVolt',
      'KiloelectronVolt',
      'MegaelectronVolt',
      'GigaelectronVolt',
      'TeraelectronVolt',
      'FootPound',
      'HorsepowerHour',
      'ThermEc',
      'ThermImperial',
      'ThermUs',
      'DecathermEc',
      'DecathermImperial',
      'DecathermUs'
    ]
  },
  convert_mass: {
    units: MASS,
    refused: ['Slug', 'EarthMass', 'SolarMass']
  },
  convert_speed: { units: SPEED, refused: [] }
};

/** A unit argument's literal name. */
function unitName(call: { name: string }, e: Expr): string {
  if (e.kind !== 'literal' || typeof e.value !== 'string') {
    throw new UnsupportedError(`${call.name}() of a computed unit`, e.span);
  }
  return e.value;
}

/** A conversion by the ratio of two units' sizes; null for a name on no list. */
function convertBy(family: string): Emit {
  return (call, ctx) => {
    const { units, refused } = FAMILIES[family];
    const [value, from, to] = call.args;
    const sizes = [from, to].map(e => {
      const name = unitName(call, e);
      if (refused.includes(name)) {
        throw new UnsupportedError(
          `${call.name}() of ${name}`,
          e.span,
          "the unit's factor differs between versions of the units library Kusto uses"
        );
      }
      return units[name];
    });
    if (sizes.some(s => s === undefined)) {
      return 'CAST(NULL AS DOUBLE)';
    }
    return `(${ctx.as(value, 'real')} * CAST(${sizes[0]} AS DOUBLE) / CAST(${sizes[1]} AS DOUBLE))`;
  };
}

/** Temperatures: to kelvins and back (offsets, not only factors). */
const TEMPERATURE: Record<
  string,
  [(x: string) => string, (k: string) => string]
> = {
  Kelvin: [x => x, k => k],
  DegreeCelsius: [x => `(${x} + 273.15)`, k => `(${k} - 273.15)`],
  MillidegreeCelsius: [
    x => `(${x} / 1000 + 273.15)`,
    k => `((${k} - 273.15) * 1000)`
  ],
  DegreeFahrenheit: [
    x => `((${x} + 459.67) * 5 / 9)`,
    k => `(${k} * 9 / 5 - 459.67)`
  ],
  DegreeRankine: [x => `(${x} * 5 / 9)`, k => `(${k} * 9 / 5)`],
  DegreeDelisle: [
    x => `(373.15 - ${x} * 2 / 3)`,
    k => `((373.15 - ${k}) * 3 / 2)`
  ],
  DegreeNewton: [
    x => `(${x} * 100 / 33 + 273.15)`,
    k => `((${k} - 273.15) * 33 / 100)`
  ],
  DegreeReaumur: [
    x => `(${x} * 5 / 4 + 273.15)`,
    k => `((${k} - 273.15) * 4 / 5)`
  ],
  DegreeRoemer: [
    x => `((${x} - 7.5) * 40 / 21 + 273.15)`,
    k => `((${k} - 273.15) * 21 / 40 + 7.5)`
  ]
};

const convertTemperature: Emit = (call, ctx: IScalarEmitter) => {
  const [value, from, to] = call.args;
  const [a, b] = [from, to].map(e => {
    const name = unitName(call, e);
    if (name === 'SolarTemperature') {
      throw new UnsupportedError(
        'convert_temperature() of SolarTemperature',
        e.span,
        "the unit's value differs between versions of the units library Kusto uses"
      );
    }
    return TEMPERATURE[name];
  });
  if (!a || !b) {
    return 'CAST(NULL AS DOUBLE)';
  }
  return b[1](a[0](ctx.as(value, 'real')));
};

/** The unit conversions, merged into the function table. */
export function unitFunctions(): Record<string, Emit> {
  return {
    ...Object.fromEntries(
      Object.keys(FAMILIES).map(name => [name, convertBy(name)])
    ),
    convert_temperature: convertTemperature
  };
}
