// Synthetic people for the dev seed: Arabic and Latin names, dates of birth, Egyptian-style national numbers,
// phones and location codes. Deterministic per index and seed.
import { EG_GOVERNORATE_CODES, makeEgNationalNumber } from './egypt-national-number.js';
import type { Demographics } from './id-schema.js';
import { prng } from './synthetic.js';

const MALE: [string, string][] = [['محمد', 'Mohamed'], ['أحمد', 'Ahmed'], ['محمود', 'Mahmoud'], ['مصطفى', 'Mostafa'], ['عمر', 'Omar'], ['يوسف', 'Youssef'], ['كريم', 'Karim'], ['خالد', 'Khaled'], ['إبراهيم', 'Ibrahim'], ['حسن', 'Hassan']];
const FEMALE: [string, string][] = [['فاطمة', 'Fatma'], ['مريم', 'Mariam'], ['نور', 'Nour'], ['سارة', 'Sara'], ['هبة', 'Heba'], ['آية', 'Aya'], ['منى', 'Mona'], ['ياسمين', 'Yasmin'], ['دينا', 'Dina'], ['رانيا', 'Rania']];
const FAMILY: [string, string][] = [['عبد الله', 'Abdallah'], ['السيد', 'El-Sayed'], ['حسين', 'Hussein'], ['علي', 'Ali'], ['عثمان', 'Osman'], ['سليمان', 'Soliman'], ['منصور', 'Mansour'], ['الشافعي', 'El-Shafei'], ['فهمي', 'Fahmy'], ['رمضان', 'Ramadan']];

export function demoPerson(index: number, seed = 1): Demographics {
  const rnd = prng(seed * 7919 + index * 104729);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const sex = rnd() < 0.5 ? 'M' : 'F';
  const [givenAr, givenLatin] = pick(sex === 'M' ? MALE : FEMALE);
  const [familyAr, familyLatin] = pick(FAMILY);
  const year = 1950 + Math.floor(rnd() * 55);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const dateOfBirth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const governorateCode = pick([...EG_GOVERNORATE_CODES].filter((g) => g !== '88'));
  return {
    givenNameAr: givenAr,
    familyNameAr: familyAr,
    givenNameLatin: givenLatin,
    familyNameLatin: familyLatin,
    dateOfBirth,
    sex,
    nationalNumber: makeEgNationalNumber(dateOfBirth, governorateCode, sex, Math.floor(rnd() * 5000)),
    phone: `01${pick(['0', '1', '2', '5'])}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
    governorateCode,
    districtCode: String(10 + Math.floor(rnd() * 90)),
    localityCode: String(100 + Math.floor(rnd() * 900)),
    addressLine: `${1 + Math.floor(rnd() * 200)} ${pick(['شارع النيل', 'شارع الجمهورية', 'شارع التحرير', 'شارع الهرم'])}`,
  };
}
