// Mnemonics of the fields this module writes or commonly meets (ANSI/NIST-ITL 1-2011 Tables 8, 10, 11, 31, 39).
export const FIELD_NAMES: Record<number, Record<number, string>> = {
  1: { 1: 'LEN', 2: 'VER', 3: 'CNT', 4: 'TOT', 5: 'DAT', 6: 'PRY', 7: 'DAI', 8: 'ORI', 9: 'TCN', 10: 'TCR', 11: 'NSR', 12: 'NTR', 13: 'DOM', 14: 'GMT', 15: 'DCS' },
  2: { 1: 'LEN', 2: 'IDC' },
  9: { 1: 'LEN', 2: 'IDC', 3: 'IMP', 4: 'FMT' },
  10: { 1: 'LEN', 2: 'IDC', 3: 'IMT', 4: 'SRC', 5: 'PHD', 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA', 12: 'CSP', 13: 'SAP', 20: 'POS', 999: 'DATA' },
  14: {
    1: 'LEN', 2: 'IDC', 3: 'IMP', 4: 'SRC', 5: 'FCD', 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA', 12: 'BPX', 13: 'FGP', 14: 'PPD',
    15: 'PPC', 16: 'SHPS', 17: 'SVPS', 20: 'COM', 21: 'SEG', 22: 'NQM', 23: 'SQM', 24: 'FQM', 25: 'ASEG', 999: 'DATA',
  },
  99: { 1: 'LEN', 2: 'IDC', 4: 'SRC', 5: 'BCD', 100: 'HDV', 101: 'BTY', 102: 'BDQ', 103: 'BFO', 104: 'BFT', 999: 'BDB' },
};
