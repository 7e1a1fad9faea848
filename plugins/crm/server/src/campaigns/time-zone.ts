import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Countries that keep one time zone: the number's country is enough. */
const COUNTRY_ZONES: Record<string, string> = {
  ES: 'Europe/Madrid', GB: 'Europe/London', IE: 'Europe/Dublin', FR: 'Europe/Paris', DE: 'Europe/Berlin', IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam', BE: 'Europe/Brussels', PT: 'Europe/Lisbon', CH: 'Europe/Zurich', AT: 'Europe/Vienna', SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo', DK: 'Europe/Copenhagen', FI: 'Europe/Helsinki', PL: 'Europe/Warsaw', GR: 'Europe/Athens', JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul', IN: 'Asia/Kolkata', SG: 'Asia/Singapore', PH: 'Asia/Manila', ZA: 'Africa/Johannesburg', NG: 'Africa/Lagos',
  CO: 'America/Bogota', PE: 'America/Lima', VE: 'America/Caracas', CL: 'America/Santiago', AR: 'America/Argentina/Buenos_Aires',
  UY: 'America/Montevideo', PY: 'America/Asuncion', BO: 'America/La_Paz', GT: 'America/Guatemala', SV: 'America/El_Salvador',
  HN: 'America/Tegucigalpa', NI: 'America/Managua', CR: 'America/Costa_Rica', PA: 'America/Panama', CU: 'America/Havana',
  DO: 'America/Santo_Domingo', PR: 'America/Puerto_Rico', NZ: 'Pacific/Auckland', IL: 'Asia/Jerusalem', TR: 'Europe/Istanbul',
};

/** North American area codes by zone, for the numbers whose country spans several (the US and Canada). */
const AREA_ZONES: Record<string, string> = {};
const area = (zone: string, codes: string) => codes.split(' ').forEach((code) => (AREA_ZONES[code] = zone));
area('America/New_York', '201 202 203 207 212 215 216 239 240 267 301 302 305 315 321 347 401 404 407 410 412 413 516 518 561 585 603 607 609 610 614 617 631 646 678 703 704 716 718 732 754 757 770 772 781 786 802 803 804 813 845 856 904 908 914 917 919 929 954 973 978');
area('America/Chicago', '205 210 214 217 218 224 225 251 254 256 262 281 309 312 314 316 318 319 320 334 337 346 361 402 405 414 417 469 479 501 504 507 512 515 563 601 608 612 615 618 630 636 651 662 682 708 713 731 737 773 779 815 816 817 832 847 901 903 913 918 920 936 940 952 956 972 979');
area('America/Denver', '303 307 385 406 435 505 575 719 720 801 970');
area('America/Phoenix', '480 520 602 623 928');
area('America/Los_Angeles', '206 209 213 253 279 310 323 341 360 408 415 424 425 442 503 509 510 530 541 559 562 619 626 628 650 657 661 669 707 714 725 747 760 775 805 818 831 858 909 916 925 949 951 971');
area('America/Anchorage', '907');
area('Pacific/Honolulu', '808');
area('America/Toronto', '416 437 519 613 647 705 905 289 343 365 514 438 450 418 581 819');
area('America/Vancouver', '236 250 604 672 778');
area('America/Edmonton', '403 587 780 825');
area('America/Winnipeg', '204 431');
area('America/Halifax', '902 782');

/**
 * The fan's time zone as their number tells it: their country's, or for North American numbers their
 * area code's; null when the number does not say (a country with several zones, an area code not in
 * the table), and the caller falls back to the event's zone.
 */
export function timeZoneOfNumber(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  if (parsed.countryCallingCode === '1') {
    const zone = AREA_ZONES[parsed.nationalNumber.slice(0, 3)];
    if (zone) return zone;
  }
  return (parsed.country && COUNTRY_ZONES[parsed.country]) || null;
}

/** The ISO 3166 country of a number, for segments by country. */
export const countryOfNumber = (e164: string) => parsePhoneNumberFromString(e164)?.country ?? null;
