// Arabic → Latin transliteration of personal names, Egyptian civil-registry style (ج → g, ث → th, ذ → z, ة → a,
// "Mohamed", "Abdelrahman", "El-Sayed"). Names are unvocalised, so short vowels are guessed:
//   1. a dictionary of common given and family names (whole words and "عبد"-compounds) gives the registry spelling;
//   2. otherwise letters map one by one (long vowels ا/و/ي → a/ou/i, diacritics used when present, shadda doubles),
//      the definite article ال becomes "El-" with sun-letter assimilation ("الشريف" → "El-Sherif" is dictionary,
//      "الصاوي" → "El-Sawy" is rule), and an "a" is inserted after a word-initial consonant cluster and an "e" before a
//      word-final one ("ياسر" → "Yaser", "كريم" → "Karim").
// The result is a suggestion the clerk edits; it always matches the ID schema's Latin-name pattern.
// Reference: conventions of Egyptian national ID / passport Latin names; UNGEGN Arabic romanization (1972) tables.

const DIACRITICS = /[\u064B-\u065F\u0670\u0640]/gu; // tanween, harakat, shadda, sukun, superscript alef, tatweel

const NAMES: Record<string, string> = {
  محمد: 'Mohamed', احمد: 'Ahmed', أحمد: 'Ahmed', محمود: 'Mahmoud', مصطفى: 'Mostafa', مصطفي: 'Mostafa', علي: 'Aly', على: 'Aly',
  حسن: 'Hassan', حسين: 'Hussein', ابراهيم: 'Ibrahim', إبراهيم: 'Ibrahim', يوسف: 'Youssef', عمر: 'Omar', خالد: 'Khaled',
  طارق: 'Tarek', سعيد: 'Saeed', السيد: 'El-Sayed', سيد: 'Sayed', عادل: 'Adel', شريف: 'Sherif', الشريف: 'El-Sherif',
  كريم: 'Karim', ياسر: 'Yasser', وليد: 'Walid', هشام: 'Hesham', اسامة: 'Osama', أسامة: 'Osama', ايمن: 'Ayman', أيمن: 'Ayman',
  اسماعيل: 'Ismail', إسماعيل: 'Ismail', جمال: 'Gamal', جميل: 'Gamil', منصور: 'Mansour', سليمان: 'Soliman', رمضان: 'Ramadan',
  عثمان: 'Osman', عمرو: 'Amr', زينب: 'Zeinab', فاطمة: 'Fatma', مريم: 'Mariam', نور: 'Nour', هدى: 'Hoda', هدي: 'Hoda',
  سارة: 'Sara', ساره: 'Sara', منى: 'Mona', مني: 'Mona', نادية: 'Nadia', ياسمين: 'Yasmin', رانيا: 'Rania', شيماء: 'Shaimaa',
  آية: 'Aya', اية: 'Aya', أمينة: 'Amina', امينة: 'Amina', خديجة: 'Khadiga', عائشة: 'Aisha', سلمى: 'Salma', ليلى: 'Laila',
  حنان: 'Hanan', دعاء: 'Doaa', اسراء: 'Esraa', إسراء: 'Esraa', نجلاء: 'Naglaa', جيهان: 'Gihan', سمير: 'Samir', سامي: 'Samy',
  مجدي: 'Magdy', حمدي: 'Hamdy', فتحي: 'Fathy', رشدي: 'Roshdy', صبري: 'Sabry', عزت: 'Ezzat', فؤاد: 'Fouad', رءوف: 'Raouf',
  الله: 'Allah', عبدالله: 'Abdallah', عبده: 'Abdo', المصري: 'El-Masry', النجار: 'El-Naggar', الشافعي: 'El-Shafei',
  رحمن: 'Rahman', رحيم: 'Rahim', عزيز: 'Aziz', حميد: 'Hamid', مجيد: 'Maguid', فتاح: 'Fattah', ستار: 'Sattar', منعم: 'Moneim',
  لطيف: 'Latif', حليم: 'Halim', قادر: 'Kader', غفار: 'Ghaffar', جواد: 'Gawad', سلام: 'Salam', ناصر: 'Nasser', باسط: 'Basset',
  حسام: 'Hossam', طه: 'Taha', عوض: 'Awad', سعد: 'Saad', وائل: 'Wael', أشرف: 'Ashraf', اشرف: 'Ashraf', إيمان: 'Eman', ايمان: 'Eman',
  جرجس: 'Gerges', بطرس: 'Boutros', مينا: 'Mina', بيشوي: 'Bishoy', مرقص: 'Morkos', حنا: 'Hanna', صليب: 'Saleeb',
};

/** Compounds written as two words: "عبد" + a divine name → "Abdel" + name ("عبد الرحمن" → "Abdelrahman"). */
const ABD = 'عبد';

const CONSONANTS: Record<string, string> = {
  ب: 'b', ت: 't', ث: 'th', ج: 'g', ح: 'h', خ: 'kh', د: 'd', ذ: 'z', ر: 'r', ز: 'z', س: 's', ش: 'sh', ص: 's', ض: 'd',
  ط: 't', ظ: 'z', غ: 'gh', ف: 'f', ق: 'k', ك: 'k', ل: 'l', م: 'm', ن: 'n', ه: 'h', ء: '', پ: 'p', چ: 'ch', ڤ: 'v', گ: 'g',
};
const SUN_LETTERS = new Set([...'تثدذرزسشصضطظلن']);
const SHORT_VOWELS: Record<string, string> = { '\u064E': 'a', '\u0650': 'e', '\u064F': 'o' };
const SHADDA = '\u0651';

function capitalise(w: string): string {
  return w.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** One word, letter by letter (diacritics honoured when present). */
function ruleWord(word: string): string {
  let w = word;
  let prefix = '';
  if (w.startsWith('ال') && w.length > 3) {
    const first = w[2]!;
    prefix = SUN_LETTERS.has(first) && first !== 'ل' ? `El-${CONSONANTS[first]}` : 'El-';
    w = w.slice(2);
    if (prefix !== 'El-') prefix = prefix.slice(0, -CONSONANTS[first]!.length); // the doubled letter is written once
  }
  const chars = [...w];
  const out: { s: string; vowel: boolean; mark?: boolean }[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const initial = out.length === 0;
    const final = i === chars.length - 1 || (i === chars.length - 2 && (next === SHADDA || (next !== undefined && SHORT_VOWELS[next] !== undefined)));
    if (SHORT_VOWELS[c] !== undefined) out.push({ s: SHORT_VOWELS[c], vowel: true, mark: true });
    else if (c === SHADDA) {
      // Doubles the last consonant (a haraka may sit between it and the shadda); digraphs (sh, kh, …) stay single.
      let k = out.length - 1;
      while (k >= 0 && out[k]!.vowel && out[k]!.mark) k--;
      const prev = out[k];
      if (prev && !prev.vowel && prev.s.length === 1) out.splice(k + 1, 0, { s: prev.s, vowel: false });
    } else if (c === 'ا' || c === 'أ' || c === 'آ' || c === 'ى') out.push({ s: c === 'آ' ? 'aa' : 'a', vowel: true });
    else if (c === 'إ') out.push({ s: 'e', vowel: true });
    else if (c === 'ة') {
      const prev = out[out.length - 1];
      if (!(prev?.vowel && prev.s.endsWith('a'))) out.push({ s: 'a', vowel: true });
    }
    else if (c === 'ئ') out.push({ s: 'e', vowel: true });
    else if (c === 'ؤ') out.push({ s: 'o', vowel: true });
    else if (c === 'ع') out.push({ s: initial ? 'a' : final ? 'a' : "'", vowel: initial || final });
    else if (c === 'و') out.push(initial || (out[out.length - 1]?.vowel ?? false) ? { s: 'w', vowel: false } : { s: final ? 'o' : 'ou', vowel: true });
    else if (c === 'ي') out.push(initial || (out[out.length - 1]?.vowel ?? false) ? { s: 'y', vowel: false } : { s: final ? 'y' : 'i', vowel: true });
    else if (CONSONANTS[c] !== undefined) out.push({ s: CONSONANTS[c], vowel: false });
    // anything else (punctuation, Latin already typed) is dropped: the result must stay within the Latin pattern
  }
  const hasVowelMarks = chars.some((c) => SHORT_VOWELS[c] !== undefined);
  const parts = out.filter((p) => p.s !== '');
  if (!hasVowelMarks && parts.length >= 2) {
    // Unvocalised: C C… → CaC…, …C C → …CeC.
    if (!parts[0]!.vowel && !parts[1]!.vowel) parts.splice(1, 0, { s: 'a', vowel: true });
    const n = parts.length;
    if (n >= 3 && !parts[n - 1]!.vowel && !parts[n - 2]!.vowel && parts[n - 1]!.s !== parts[n - 2]!.s) parts.splice(n - 1, 0, { s: 'e', vowel: true });
  }
  const body = parts.map((p) => p.s).join('').replace(/^'+|'+$/g, '');
  return capitalise(prefix + body);
}

function word(w: string): string {
  const dict = NAMES[w];
  if (dict) return dict;
  if (w.startsWith('ال') && NAMES[w.slice(2)]) return `El-${NAMES[w.slice(2)]!}`;
  return ruleWord(w);
}

/** Latin suggestion for an Arabic name (empty string for empty input). */
export function transliterateArabicName(arabic: string): string {
  const words = arabic
    .normalize('NFC')
    .replace(/[\u200c-\u200f\u061c]/gu, '')
    .trim()
    .split(/\s+/u)
    .filter(Boolean);
  const dictWords = words.map((w) => (NAMES[w] ? w : w.replace(DIACRITICS, (m) => (m === '\u0640' ? '' : m))));
  const out: string[] = [];
  for (let i = 0; i < dictWords.length; i++) {
    const w = dictWords[i]!;
    const plain = w.replace(DIACRITICS, '');
    if (plain === ABD && i + 1 < dictWords.length) {
      const nextPlain = dictWords[i + 1]!.replace(DIACRITICS, '');
      const rest = nextPlain.startsWith('ال') ? nextPlain.slice(2) : nextPlain;
      const restLatin = NAMES[rest] ?? ruleWord(rest);
      out.push(`Abdel${restLatin.toLowerCase()}`);
      i++;
      continue;
    }
    if (plain.startsWith(ABD + 'ال') && plain.length > 5) {
      const rest = plain.slice(5);
      out.push(`Abdel${(NAMES[rest] ?? ruleWord(rest)).toLowerCase()}`);
      continue;
    }
    out.push(NAMES[plain] ?? word(w.replace(/\u0640/gu, '')));
  }
  return out.filter(Boolean).join(' ');
}
