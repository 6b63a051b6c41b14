// Bundled master data: Egypt's governorates (codes as in the national number's birth-governorate digits) with a few
// districts (qism/markaz) and localities each. Codes: governorate 2 digits, district = governorate + 2, locality =
// district + 2. The registry's master-data download replaces it (main/workflow/master-data.ts, installMasterData).

export interface MasterLocation {
  code: string;
  nameAr: string;
  nameEn: string;
  children?: MasterLocation[];
}

export interface MasterData {
  version: string;
  country: string;
  governorates: MasterLocation[];
}

type Row = [string, string, [string, string, [string, string][]][]];

// [nameAr, nameEn, [[districtAr, districtEn, [[localityAr, localityEn], …]], …]] keyed by governorate code.
const ROWS: Record<string, Row> = {
  '01': ['القاهرة', 'Cairo', [['مصر الجديدة', 'Heliopolis', [['الكوربة', 'El-Korba'], ['ألماظة', 'Almaza']]], ['المعادي', 'Maadi', [['دجلة', 'Degla'], ['زهراء المعادي', 'Zahraa El-Maadi']]], ['شبرا', 'Shubra', [['روض الفرج', 'Rod El-Farag'], ['الخلفاوي', 'El-Khalafawy']]]]],
  '02': ['الإسكندرية', 'Alexandria', [['المنتزه', 'Montaza', [['سيدي بشر', 'Sidi Bishr'], ['المندرة', 'El-Mandara']]], ['العجمي', 'Agami', [['البيطاش', 'El-Bitash'], ['الهانوفيل', 'El-Hanoville']]]]],
  '03': ['بورسعيد', 'Port Said', [['حي الشرق', 'El-Sharq', [['الإفرنج', 'El-Afrang'], ['الحي الإماراتي', 'El-Emarati']]], ['بورفؤاد', 'Port Fouad', [['بورفؤاد شمال', 'Port Fouad North'], ['بورفؤاد جنوب', 'Port Fouad South']]]]],
  '04': ['السويس', 'Suez', [['الأربعين', 'El-Arbaeen', [['الأربعين', 'El-Arbaeen'], ['كفر أحمد عبده', 'Kafr Ahmed Abdo']]], ['عتاقة', 'Ataqa', [['الأدبية', 'El-Adabiya'], ['السخنة', 'El-Sokhna']]]]],
  '11': ['دمياط', 'Damietta', [['دمياط', 'Damietta', [['دمياط الجديدة', 'New Damietta'], ['السنانية', 'El-Senaniya']]], ['فارسكور', 'Faraskur', [['فارسكور', 'Faraskur'], ['الروضة', 'El-Rawda']]]]],
  '12': ['الدقهلية', 'Dakahlia', [['المنصورة', 'Mansoura', [['طلخا', 'Talkha'], ['سندوب', 'Sandoub']]], ['ميت غمر', 'Mit Ghamr', [['ميت غمر', 'Mit Ghamr'], ['دقادوس', 'Daqadous']]]]],
  '13': ['الشرقية', 'Sharqia', [['الزقازيق', 'Zagazig', [['القومية', 'El-Qawmeya'], ['بني عامر', 'Bani Amer']]], ['بلبيس', 'Belbeis', [['بلبيس', 'Belbeis'], ['الزوامل', 'El-Zawamel']]]]],
  '14': ['القليوبية', 'Qalyubia', [['بنها', 'Banha', [['بنها الجديدة', 'New Banha'], ['كفر الجزار', 'Kafr El-Gazzar']]], ['شبرا الخيمة', 'Shubra El-Kheima', [['بهتيم', 'Bahtim'], ['المظلات', 'El-Mazallat']]]]],
  '15': ['كفر الشيخ', 'Kafr El-Sheikh', [['كفر الشيخ', 'Kafr El-Sheikh', [['كفر الشيخ', 'Kafr El-Sheikh'], ['سخا', 'Sakha']]], ['دسوق', 'Desouk', [['دسوق', 'Desouk'], ['شباس عمير', 'Shabas Omeir']]]]],
  '16': ['الغربية', 'Gharbia', [['طنطا', 'Tanta', [['سيجر', 'Siger'], ['محلة مرحوم', 'Mahallet Marhoum']]], ['المحلة الكبرى', 'El-Mahalla El-Kubra', [['المحلة', 'El-Mahalla'], ['محلة أبو علي', 'Mahallet Abu Ali']]]]],
  '17': ['المنوفية', 'Monufia', [['شبين الكوم', 'Shebin El-Kom', [['شبين الكوم', 'Shebin El-Kom'], ['البتانون', 'El-Batanoun']]], ['منوف', 'Menouf', [['منوف', 'Menouf'], ['سبك الأحد', 'Sobk El-Ahad']]]]],
  '18': ['البحيرة', 'Beheira', [['دمنهور', 'Damanhour', [['دمنهور', 'Damanhour'], ['زاوية غزال', 'Zawyet Ghazal']]], ['كفر الدوار', 'Kafr El-Dawwar', [['كفر الدوار', 'Kafr El-Dawwar'], ['البيضا', 'El-Beida']]]]],
  '19': ['الإسماعيلية', 'Ismailia', [['الإسماعيلية', 'Ismailia', [['الشيخ زايد', 'El-Sheikh Zayed'], ['نفيشة', 'Nefisha']]], ['فايد', 'Fayed', [['فايد', 'Fayed'], ['أبو سلطان', 'Abu Sultan']]]]],
  '21': ['الجيزة', 'Giza', [['الدقي', 'Dokki', [['الدقي', 'Dokki'], ['المهندسين', 'Mohandessin']]], ['إمبابة', 'Imbaba', [['الوراق', 'El-Warraq'], ['المنيرة الغربية', 'El-Monira El-Gharbiya']]], ['الهرم', 'Haram', [['الطالبية', 'El-Talbiya'], ['العمرانية', 'El-Omraniya']]]]],
  '22': ['بني سويف', 'Beni Suef', [['بني سويف', 'Beni Suef', [['بني سويف الجديدة', 'New Beni Suef'], ['شرق النيل', 'Sharq El-Nil']]], ['الواسطى', 'El-Wasta', [['الواسطى', 'El-Wasta'], ['الميمون', 'El-Maimoun']]]]],
  '23': ['الفيوم', 'Fayoum', [['الفيوم', 'Fayoum', [['الفيوم الجديدة', 'New Fayoum'], ['دار الرماد', 'Dar El-Ramad']]], ['سنورس', 'Sinnuris', [['سنورس', 'Sinnuris'], ['فيديمين', 'Fidimin']]]]],
  '24': ['المنيا', 'Minya', [['المنيا', 'Minya', [['المنيا الجديدة', 'New Minya'], ['طهنا الجبل', 'Tahna El-Gabal']]], ['ملوي', 'Mallawi', [['ملوي', 'Mallawi'], ['الروضة', 'El-Roda']]]]],
  '25': ['أسيوط', 'Asyut', [['أسيوط', 'Asyut', [['أسيوط الجديدة', 'New Asyut'], ['الوليدية', 'El-Walideya']]], ['ديروط', 'Dayrout', [['ديروط', 'Dayrout'], ['صنبو', 'Sanabu']]]]],
  '26': ['سوهاج', 'Sohag', [['سوهاج', 'Sohag', [['سوهاج الجديدة', 'New Sohag'], ['الكوثر', 'El-Kawthar']]], ['أخميم', 'Akhmim', [['أخميم', 'Akhmim'], ['الحواويش', 'El-Hawawish']]]]],
  '27': ['قنا', 'Qena', [['قنا', 'Qena', [['قنا الجديدة', 'New Qena'], ['المعنا', 'El-Maana']]], ['نجع حمادي', 'Nag Hammadi', [['نجع حمادي', 'Nag Hammadi'], ['هو', 'Hiw']]]]],
  '28': ['أسوان', 'Aswan', [['أسوان', 'Aswan', [['أسوان الجديدة', 'New Aswan'], ['غرب سهيل', 'Gharb Soheil']]], ['كوم أمبو', 'Kom Ombo', [['كوم أمبو', 'Kom Ombo'], ['دراو', 'Daraw']]]]],
  '29': ['الأقصر', 'Luxor', [['الأقصر', 'Luxor', [['الكرنك', 'Karnak'], ['القرنة', 'El-Qurna']]], ['إسنا', 'Esna', [['إسنا', 'Esna'], ['الدير', 'El-Deir']]]]],
  '31': ['البحر الأحمر', 'Red Sea', [['الغردقة', 'Hurghada', [['الدهار', 'El-Dahar'], ['السقالة', 'El-Sakkala']]], ['سفاجا', 'Safaga', [['سفاجا', 'Safaga'], ['أم الحويطات', 'Umm El-Huwaitat']]]]],
  '32': ['الوادي الجديد', 'New Valley', [['الخارجة', 'Kharga', [['الخارجة', 'Kharga'], ['المنيرة', 'El-Monira']]], ['الداخلة', 'Dakhla', [['موط', 'Mut'], ['القصر', 'El-Qasr']]]]],
  '33': ['مطروح', 'Matrouh', [['مرسى مطروح', 'Marsa Matrouh', [['مرسى مطروح', 'Marsa Matrouh'], ['عجيبة', 'Agiba']]], ['سيوة', 'Siwa', [['سيوة', 'Siwa'], ['أغورمي', 'Aghurmi']]]]],
  '34': ['شمال سيناء', 'North Sinai', [['العريش', 'Arish', [['العريش', 'Arish'], ['المساعيد', 'El-Masaeed']]], ['بئر العبد', 'Bir El-Abd', [['بئر العبد', 'Bir El-Abd'], ['رمانة', 'Romana']]]]],
  '35': ['جنوب سيناء', 'South Sinai', [['شرم الشيخ', 'Sharm El-Sheikh', [['نبق', 'Nabq'], ['الهضبة', 'El-Hadaba']]], ['الطور', 'El-Tor', [['الطور', 'El-Tor'], ['رأس سدر', 'Ras Sudr']]]]],
};

function build(): MasterLocation[] {
  // Sorted by code: integer-like keys ('11') would otherwise precede '01' in object order.
  return Object.entries(ROWS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, [nameAr, nameEn, districts]]) => ({
    code,
    nameAr,
    nameEn,
    children: districts.map(([dAr, dEn, localities], i) => {
      const dCode = `${code}${String(i + 1).padStart(2, '0')}`;
      return { code: dCode, nameAr: dAr, nameEn: dEn, children: localities.map(([lAr, lEn], j) => ({ code: `${dCode}${String(j + 1).padStart(2, '0')}`, nameAr: lAr, nameEn: lEn })) };
    }),
  }));
}

export const EG_MASTER_DATA: MasterData = { version: 'eg-2026.1', country: 'EG', governorates: build() };

/** Births registered abroad (national-number governorate 88): not an address governorate. */
export const EG_BORN_ABROAD = { code: '88', nameAr: 'مواليد الخارج', nameEn: 'Born abroad' } as const;
