import { describe, expect, it } from "vitest";
import {
  type BanEntry,
  type MatchStrength,
  POSSIBLE_SCORE,
  STRONG_SCORE,
  normaliseCompanyName,
  screenEntity,
} from "../../app/domain/name-matching";

/** Rows of shared/data/import-bans-wro-2021.csv (US CBP WROs) as shipped in questionnaires/data/import-bans.csv (the XPCC with its aliases and Chinese names), and two UFLPA Entity List rows, copied as literals. */
const XUAR = "Xinjiang Uyghur Autonomous Region (XUAR)";
const row = (
  id: string,
  country: string | null,
  region: string | null,
  entity: string | null,
  aliases: string[],
  status: BanEntry["status"] = "active",
): BanEntry => ({ id, entity, aliases, country, region, status });

const LIST: BanEntry[] = [
  row("hoshine", "CN", null, "Hoshine Silicon Industry Co. Ltd and subsidiaries", ["Hoshine"]),
  row("xuar", "CN", XUAR, null, []),
  {
    ...row("xpcc", "CN", XUAR, "Xinjiang Production and Construction Corps (XPCC) and subordinates", ["XPCC", "Bingtuan", "China Xinjian Group"]),
    namesZh: ["新疆生产建设兵团", "新疆生產建設兵團", "新疆兵团", "新疆兵團", "中国新建集团", "中國新建集團"],
  },
  row("bitland", "CN", null, "Hefei Bitland Information Technology Co. Ltd", ["Hefei Bitland"]),
  { ...row("junggar", "CN", XUAR, "Xinjiang Junggar Cotton and Linen Co. Ltd", ["Junggar Cotton and Linen"]), coversGroup: true },
  row("yili-zhuowan", "CN", null, "Yili Zhuowan Garment Manufacturing Co. Ltd", ["Yili Zhuowan"]),
  row("baoding-lyszd", "CN", null, "Baoding LYSZD Trade and Business Co. Ltd", ["Baoding LYSZD"]),
  row("vsetc", "CN", XUAR, "No. 4 Vocational Skills Education Training Center (VSETC)", ["VSETC"]),
  row("smart-glove", "MY", null, "Smart Glove group", [
    "GX Corporation Sdn Bhd",
    "GX3 Specialty Plant",
    "Sigma Glove Industries",
    "Platinum Glove Industries Sdn Bhd",
  ]),
  row("supermax", "MY", null, "Supermax Corporation Bhd and subsidiaries", [
    "Maxter Glove Manufacturing Sdn Bhd",
    "Maxwell Glove Manufacturing Bhd",
    "Supermax Glove Manufacturing",
  ]),
  row("sime-darby", "MY", null, "Sime Darby Plantation Berhad and subsidiaries and joint ventures", ["Sime Darby Plantation"]),
  row("fgv", "MY", null, "FGV Holdings Berhad and subsidiaries and joint ventures", ["FGV Holdings"]),
  row("top-glove", "MY", null, "Top Glove Corporation Bhd", ["Top Glove"], "inactive"),
  row("wrp", "MY", null, "WRP Asia Pacific Sdn Bhd", ["WRP Asia Pacific"], "inactive"),
  // UFLPA Entity List rows of the shipped list: a Hong Kong holding company, and a name made only of generic words
  row("esquel", "HK", null, "Esquel Group", ["Esquel China Holdings Limited"]),
  row("china-cotton-xj", "CN", null, "China Cotton Group Xinjiang Cotton Co.", []),
];

const screen = (name: string, country?: string | null) => screenEntity({ name, country }, LIST);

describe("normaliseCompanyName", () => {
  it.each([
    ["Hoshine Silicon Industry Co. Ltd and subsidiaries", "hoshine industry silicon"],
    ["HOSHINE SILICON INDUSTRY CO.,LTD", "hoshine industry silicon"],
    ["Industry  Hoshine-Silicon", "hoshine industry silicon"],
    ["Top Glove Corporation Bhd", "glove top"],
    ["Top Glove Sdn. Bhd.", "glove top"],
    ["Top Glove Sendirian Berhad", "glove top"],
    ["Platinum Glove Industries SDN BHD", "glove industries platinum"],
    ["Xinjiang Junggar Cotton & Linen Co., Ltd.", "cotton junggar linen xinjiang"],
    ["Sime Darby Plantation Berhad and subsidiaries and joint ventures", "darby plantation sime"],
    ["Supermax Corporation Bhd & Subsidiaries", "supermax"],
    ["Société Générale S.A.", "generale societe"],
    ["Nestlé Deutschland AG", "deutschland nestle"],
    ["Straße Bau GmbH", "bau strasse"],
    ["W. R. P. Asia Pacific Pte Ltd", "asia pacific wrp"],
    ["PT Indofood Sukses Makmur Tbk", "indofood makmur sukses"],
    ["Foo Kabushiki Kaisha", "foo"],
    ["O'Brien Holdings PLC", "obrien"],
    ["Acme Mfg Co Inc", "acme manufacturing"],
    ["Ｈｏｓｈｉｎｅ", "hoshine"],
    ["Co., Ltd.", ""],
  ])("%s → %s", (name, expected) => {
    expect(normaliseCompanyName(name)).toBe(expected);
  });

  it("is idempotent", () => {
    for (const entry of LIST) {
      for (const name of [entry.entity ?? "", ...entry.aliases]) {
        const once = normaliseCompanyName(name);
        expect(normaliseCompanyName(once)).toBe(once);
      }
    }
  });
});

describe("screenEntity: spellings that must match", () => {
  const cases: Array<[name: string, country: string | null, banId: string, strength: MatchStrength]> = [
    // legal suffixes, punctuation, case, spacing
    ["Hoshine Silicon Industry Co., Ltd.", "CN", "hoshine", "strong"],
    ["HOSHINE SILICON INDUSTRY CO LTD", "CN", "hoshine", "strong"],
    ["Hoshine Silicon Industry Company Limited", "CN", "hoshine", "strong"],
    ["Hoshine Silicon Industry Co.,Ltd", "CN", "hoshine", "strong"],
    ["hoshine   silicon-industry", "CN", "hoshine", "strong"],
    ["Hefei Bitland Information Technology Co., Ltd.", "CN", "bitland", "strong"],
    ["Xinjiang Junggar Cotton & Linen Co., Ltd.", "CN", "junggar", "strong"],
    ["Xinjiang Junggar Cotton Linen", "CN", "junggar", "strong"],
    ["Yili Zhuowan Garment Mfg. Co., Ltd.", "CN", "yili-zhuowan", "strong"],
    ["Baoding LYSZD Trade & Business Co Ltd", "CN", "baoding-lyszd", "strong"],
    ["Xinjiang Production and Construction Corps and subordinates", "CN", "xpcc", "strong"],
    ["Xinjiang Production & Construction Corps", "CN", "xpcc", "strong"],
    ["Supermax Corporation Berhad", "MY", "supermax", "strong"],
    ["SUPERMAX CORP. BHD.", "MY", "supermax", "strong"],
    ["Top Glove Corp. Bhd.", "MY", "top-glove", "strong"],
    ["TOP GLOVE CORPORATION BERHAD", "MY", "top-glove", "strong"],
    ["Top Gloves Sdn Bhd", "MY", "top-glove", "strong"],
    ["Smart Glove Corporation Sdn. Bhd.", "MY", "smart-glove", "strong"],
    ["Smart Glove Group", "MY", "smart-glove", "strong"],
    ["FGV Holdings Bhd", "MY", "fgv", "strong"],
    ["F.G.V. Holdings Berhad", "MY", "fgv", "strong"],
    ["Sime Darby Plantations", "MY", "sime-darby", "strong"],
    // "Sdn. Bhd." transliterations
    ["WRP Asia Pacific Sdn. Bhd.", "MY", "wrp", "strong"],
    ["WRP Asia Pacific SDN BHD", "MY", "wrp", "strong"],
    ["W.R.P. Asia Pacific Sendirian Berhad", "MY", "wrp", "strong"],
    ["Sime Darby Plantation Sdn Bhd", "MY", "sime-darby", "strong"],
    ["GX Corporation Sendirian Berhad", "MY", "smart-glove", "strong"],
    ["Maxter Glove Manufacturing Sdn. Bhd.", "MY", "supermax", "strong"],
    // word order
    ["Industry Hoshine Silicon", "CN", "hoshine", "strong"],
    ["Plantation Sime Darby Berhad", "MY", "sime-darby", "strong"],
    ["Vocational Skills Education Training Centre No 4", "CN", "vsetc", "strong"],
    // aliases
    ["hoshine", "CN", "hoshine", "strong"],
    ["Hefei Bitland", "CN", "bitland", "strong"],
    ["Junggar Cotton and Linen Company", "CN", "junggar", "strong"],
    ["XPCC", "CN", "xpcc", "strong"],
    ["VSETC", "CN", "vsetc", "strong"],
    ["Sigma Glove Industries Sdn Bhd", "MY", "smart-glove", "strong"],
    ["Platinum Glove Industries", "MY", "smart-glove", "strong"],
    ["GX3 Specialty Plant", "MY", "smart-glove", "strong"],
    ["Maxwell Glove Manufacturing Berhad", "MY", "supermax", "strong"],
    ["Supermax Glove Mfg", "MY", "supermax", "strong"],
    // diacritics and full-width letters
    ["Hoshïne Sílicon Industry Co., Ltd.", "CN", "hoshine", "strong"],
    ["Sime Darby Plantation Bérhad and Subsidiaries", "MY", "sime-darby", "strong"],
    ["Ｈｏｓｈｉｎｅ Silicon Industry", "CN", "hoshine", "strong"],
    // parenthesised qualifiers
    ["Top Glove (Malaysia) Sdn. Bhd.", "MY", "top-glove", "strong"],
    ["Hoshine Silicon Industry (Shanghai) Co Ltd", "CN", "hoshine", "strong"],
    // typos and transliterations: at most possible
    ["Hosine Silicon", "CN", "hoshine", "possible"],
    ["Hoshine Silicone Industries", "CN", "hoshine", "possible"],
    ["Hoshin Silicon Industry", "CN", "hoshine", "possible"],
    ["Jungar Cotton & Linen", "CN", "junggar", "possible"],
    ["Supermaks Glove Manufacturing", "MY", "supermax", "possible"],
    ["Maxtor Glove Manufacturing", "MY", "supermax", "possible"],
    // a generic word or place prefix dropped or added: close but imperfect
    ["Bitland Information Technology", "CN", "bitland", "possible"],
    ["Zhuowan Garment Manufacturing", "CN", "yili-zhuowan", "possible"],
    ["Top Glove Manufacturing", "MY", "top-glove", "possible"],
    ["Sime Darby Berhad", "MY", "sime-darby", "possible"],
    // no country given: at most possible, however exact
    ["Hoshine Silicon Industry Co. Ltd", null, "hoshine", "possible"],
    ["Top Glove Corporation Bhd", null, "top-glove", "possible"],
  ];

  it.each(cases)("%s (%s) → %s, %s", (name, country, banId, strength) => {
    const matches = screen(name, country);
    expect(matches.map((m) => m.banId)).toEqual([banId]);
    const [match] = matches;
    expect(match?.strength).toBe(strength);
    expect(match!.score).toBeGreaterThanOrEqual(strength === "strong" ? STRONG_SCORE : POSSIBLE_SCORE);
    expect(match!.score).toBeLessThanOrEqual(1);
  });

  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));
});

describe("screenEntity: similar but different names that must not match", () => {
  const cases: Array<[name: string, country: string | null]> = [
    // only generic words, or generic words shared with a listed name
    ["Global Rubber Products Sdn Bhd", "MY"],
    ["Glove Manufacturing Sdn Bhd", "MY"],
    ["Rubber Products Industries", "MY"],
    ["Industries Sdn Bhd", "MY"],
    ["International Trading Company Ltd", "CN"],
    ["Silicon Industry Co Ltd", "CN"],
    ["Hefei Information Technology Co Ltd", "CN"],
    ["Xinjiang Production Company", "CN"],
    ["Asia Pacific Rubber Sdn Bhd", "MY"],
    ["Vocational Skills Education Training Center", "CN"],
    ["Co., Ltd.", "CN"],
    // different companies in the same industry
    ["Hartalega Holdings Berhad", "MY"],
    ["Kossan Rubber Industries Bhd", "MY"],
    ["Comfort Gloves Berhad", "MY"],
    ["Riverstone Holdings Ltd", "MY"],
    ["IOI Corporation Berhad", "MY"],
    ["Kuala Lumpur Kepong Berhad", "MY"],
    ["Wilmar International Ltd", "MY"],
    ["Tongwei Silicon Industry", "CN"],
    ["Daqo New Energy", "CN"],
    ["Xinjiang Zhongtai Chemical", "CN"],
    ["Lenovo (Hefei) Information Technology", "CN"],
    ["Inner Mongolia Yili Industrial Group", "CN"],
    // one distinctive word shared where the listed name has more, or other words swapped in
    ["Yili Garment Manufacturing", "CN"],
    ["Baoding Trade and Business Co Ltd", "CN"],
    ["Xinjiang Cotton and Linen Co Ltd", "CN"],
    ["Darby Plantation Berhad", "MY"],
    ["Sime Plantation Berhad", "MY"],
    ["Sime Darby Property Berhad", "MY"],
    ["Zhuowan Dairy", "CN"],
    ["Junggar Basin Oil Field", "CN"],
    ["Top Trading Sdn Bhd", "MY"],
    ["Top Solutions Sdn Bhd", "MY"],
    ["Smart Solutions Sdn Bhd", "MY"],
    ["Platinum Rubber Industries", "MY"],
    ["Sigma Electronics Sdn Bhd", "MY"],
    ["Maxter Electronics Sdn Bhd", "MY"],
    ["Maxwell House Foods", "MY"],
    ["Shanghai Bitmain Technology", "CN"],
    // near spellings that are other names: initialisms, digits, first letters
    ["GX4 Specialty Plant", "MY"],
    ["GXP Corporation", "MY"],
    ["WRT Asia Pacific Sdn Bhd", "MY"],
    ["Baxter Glove Manufacturing", "MY"],
    ["No. 5 Vocational Skills Education Training Center", "CN"],
    // same name, another country
    ["Hoshine Silicon Industry Ltd", "GB"],
    ["Top Glove Ltd", "GB"],
    ["Smart Glove Corporation", "US"],
    ["Supermax Ltd", "GB"],
  ];

  it.each(cases)("%s (%s)", (name, country) => {
    expect(screen(name, country)).toEqual([]);
  });

  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));
});

describe("screenEntity: country rule", () => {
  it("the same name in another country is a different firm", () => {
    expect(screen("Hoshine Silicon Industry Co. Ltd", "CN")).toMatchObject([{ banId: "hoshine", strength: "strong" }]);
    expect(screen("Hoshine Silicon Industry Co. Ltd", "US")).toEqual([]);
    expect(screen("Sime Darby Plantation Berhad", "SG")).toEqual([]);
  });

  it("without a declared country an exact name is only possible", () => {
    for (const country of [null, undefined, "", "  "]) {
      expect(screen("Sime Darby Plantation Berhad", country)).toMatchObject([{ banId: "sime-darby", strength: "possible", score: 1 }]);
    }
  });

  it("compares country codes regardless of case and spacing", () => {
    expect(screen("Top Glove Corporation Bhd", " my ")).toMatchObject([{ banId: "top-glove", strength: "strong" }]);
  });

  it("a listed entry without a country matches any declared country, but only as possible", () => {
    const list = [row("x", null, null, "Acme Widget Works Ltd", [])];
    expect(screenEntity({ name: "Acme Widget Works", country: "FR" }, list)).toMatchObject([{ banId: "x", strength: "possible" }]);
  });

  it("region-only orders never match by name, even the region's own name", () => {
    expect(screen(XUAR, "CN")).toEqual([]);
    expect(screen("Xinjiang Uyghur Autonomous Region", "CN")).toEqual([]);
    const list = [row("region", "CN", XUAR, null, ["XUAR"])];
    expect(screenEntity({ name: "XUAR", country: "CN" }, list)).toEqual([]);
  });
});

describe("screenEntity: results", () => {
  it("says which listed name matched", () => {
    expect(screen("Maxwell Glove Manufacturing", "MY")[0]?.matchedName).toBe("Maxwell Glove Manufacturing Bhd");
    expect(screen("Hoshine", "CN")[0]?.matchedName).toBe("Hoshine");
    expect(screen("Hoshine Silicon Industry", "CN")[0]?.matchedName).toBe("Hoshine Silicon Industry Co. Ltd and subsidiaries");
  });

  it("gives at most one match per ban entry, whichever of its names matched", () => {
    const matches = screen("Sime Darby Plantation", "MY"); // the entity and its alias both match exactly
    expect(matches).toHaveLength(1);
  });

  it("screens lifted orders too, so the caller can report or filter them", () => {
    expect(screen("Top Glove", "MY")).toMatchObject([{ banId: "top-glove", strength: "strong" }]);
    const activeOnly = LIST.filter((entry) => entry.status === "active");
    expect(screenEntity({ name: "Top Glove", country: "MY" }, activeOnly)).toEqual([]);
  });

  it("orders matches best first: strong before possible, then by score", () => {
    const list = [
      row("fuzzy", "MY", null, "Hoshyne Trading", []),
      row("possible", "MY", null, "Hoshine Trading International", []),
      row("exact", "MY", null, "Hoshine Trading Sdn Bhd", []),
    ];
    const matches = screenEntity({ name: "Hoshine Trading", country: "MY" }, list);
    expect(matches.map((m) => [m.banId, m.strength])).toEqual([
      ["exact", "strong"],
      ["fuzzy", "possible"],
      ["possible", "possible"],
    ]);
    expect(matches[1]!.score).toBeGreaterThan(matches[2]!.score);
  });

  it("an empty list or empty name matches nothing", () => {
    expect(screenEntity({ name: "Top Glove", country: "MY" }, [])).toEqual([]);
    expect(screen("", "MY")).toEqual([]);
  });
});

describe("screenEntity: other names, parts of a listed body, related jurisdictions, Chinese script", () => {
  const cases: Array<[name: string, country: string | null, banId: string, strength: MatchStrength, reasons: string[]]> = [
    // aliases and former names: Bingtuan is the XPCC's Chinese name, romanised
    ["Bingtuan", "CN", "xpcc", "strong", ["alias"]],
    ["BINGTUAN", "CN", "xpcc", "strong", ["alias"]],
    ["China Xinjian Group Co., Ltd.", "CN", "xpcc", "strong", ["alias"]],
    ["Esquel China Holdings Ltd", "HK", "esquel", "strong", ["alias"]],
    // subordinates of a body whose order covers them
    ["Xinjiang Production and Construction Corps 1st Division", "CN", "xpcc", "possible", ["subordinate"]],
    ["Xinjiang Production & Construction Corps, Fourteenth Division", "CN", "xpcc", "possible", ["subordinate"]],
    ["Bingtuan (XPCC) 1st Division", "CN", "xpcc", "possible", ["alias", "subordinate"]],
    ["XPCC 2nd Division", "CN", "xpcc", "possible", ["alias", "subordinate"]],
    ["Bingtuan 1st Division", null, "xpcc", "possible", ["alias", "subordinate", "no_country"]],
    ["Hoshine Logistics Co., Ltd.", "CN", "hoshine", "possible", ["alias", "subordinate"]],
    ["Hoshine Silicon Industry (Shanshan) Co., Ltd. Branch", "CN", "hoshine", "possible", ["subordinate"]],
    ["Xinjiang Junggar Cotton and Linen Co. Ltd 3rd Factory", "CN", "junggar", "possible", ["subordinate"]],
    // a mainland entity trading from Hong Kong or Macau; a Hong Kong entity named with a mainland address
    ["Hoshine Silicon Industry Co., Ltd.", "HK", "hoshine", "possible", ["related_jurisdiction"]],
    ["Hoshine Silicon Industry (Hong Kong) Limited", "HK", "hoshine", "possible", ["related_jurisdiction"]],
    ["Hefei Bitland Information Technology Co., Ltd.", "MO", "bitland", "possible", ["related_jurisdiction"]],
    ["Xinjiang Production and Construction Corps", "HK", "xpcc", "possible", ["related_jurisdiction"]],
    ["Esquel Group", "CN", "esquel", "possible", ["related_jurisdiction"]],
    // Chinese script, full-width forms, simplified and traditional as listed
    ["新疆生产建设兵团", "CN", "xpcc", "strong", ["chinese_script"]],
    ["新疆生產建設兵團", "CN", "xpcc", "strong", ["chinese_script"]],
    ["新疆 生产建设 兵团（集团）有限公司", "CN", "xpcc", "strong", ["chinese_script"]],
    ["新疆生产建设兵团第一师", "CN", "xpcc", "possible", ["chinese_script", "subordinate"]],
    ["新疆兵团第八师", "CN", "xpcc", "possible", ["chinese_script", "subordinate"]],
    ["中国新建集团有限公司", "HK", "xpcc", "possible", ["chinese_script", "related_jurisdiction"]],
    ["Ｘｉｎｊｉａｎｇ Ｐｒｏｄｕｃｔｉｏｎ ａｎｄ Ｃｏｎｓｔｒｕｃｔｉｏｎ Ｃｏｒｐｓ", "CN", "xpcc", "strong", []],
    // a name made only of generic words needs every one of them
    ["China Cotton Group Xinjiang Cotton Co., Ltd.", "CN", "china-cotton-xj", "strong", []],
  ];

  it.each(cases)("%s (%s) → %s, %s, because %j", (name, country, banId, strength, reasons) => {
    const matches = screen(name, country);
    expect(matches.map((m) => m.banId)).toEqual([banId]);
    expect(matches[0]!.strength).toBe(strength);
    expect(matches[0]!.reasons.map((r) => r.code)).toEqual(reasons);
  });

  it("the two cases the specialist found: the XPCC's subordinates and its Chinese name", () => {
    // 0.737 by words alone, under the 0.75 line: matched because the order covers subordinates
    expect(screen("Xinjiang Production and Construction Corps 1st Division", "CN")).toMatchObject([{ banId: "xpcc", strength: "possible", score: 0.737 }]);
    expect(screen("Bingtuan (XPCC) 1st Division", "CN")).toMatchObject([{ banId: "xpcc", matchedName: "Bingtuan" }]);
  });

  it("says which countries a related-jurisdiction match crossed", () => {
    expect(screen("Hoshine Silicon Industry Co., Ltd.", "HK")[0]!.reasons).toEqual([{ code: "related_jurisdiction", declared: "HK", listed: "CN" }]);
  });

  it("a part of a listed body matches only where its order covers its parts", () => {
    // Top Glove's order names the company alone: a division of it is a name with an extra word, scored as usual
    expect(screen("Top Glove Corporation Bhd 1st Division", "MY")).toEqual([]);
    const list = [row("x", "CN", null, "Acme Widget Works", [])];
    expect(screenEntity({ name: "Acme Widget Works 1st Division", country: "CN" }, list)).toEqual([]);
    expect(screenEntity({ name: "Acme Widget Works 1st Division", country: "CN" }, [{ ...list[0]!, coversGroup: true }])).toMatchObject([{ banId: "x", strength: "possible" }]);
    // and a row that says no overrides a name that says "and subsidiaries"
    expect(screenEntity({ name: "Hoshine Silicon Industry 1st Division", country: "CN" }, [LIST[0]!])).toMatchObject([{ banId: "hoshine", strength: "possible" }]);
    expect(screenEntity({ name: "Hoshine Silicon Industry 1st Division", country: "CN" }, [{ ...LIST[0]!, coversGroup: false }])).toEqual([]);
  });

  it("a Chinese-script name never meets a romanised one: there is no transliteration", () => {
    expect(screenEntity({ name: "新疆生产建设兵团", country: "CN" }, [row("x", "CN", null, "Xinjiang Production and Construction Corps", ["Bingtuan"])])).toEqual([]);
  });
});

describe("screenEntity: look-alikes of the new rules that must not match", () => {
  const cases: Array<[name: string, country: string | null]> = [
    // a listed name plus a word that names another body, not a part of it
    ["Xinjiang Tourism Board", "CN"],
    ["Xinjiang Production Materials Co., Ltd.", "CN"],
    ["Xinjiang Construction Engineering Co., Ltd.", "CN"],
    ["Bingtuan Tourism Board", "CN"],
    ["Hoshine Dairy Farm Co.", "CN"],
    ["XPCC Shihezi University", "CN"],
    // a subsidiary-looking name in an unrelated country is a namesake
    ["Hoshine Logistics UK", "GB"],
    ["Hoshine Logistics UK Ltd", "GB"],
    ["XPCC 1st Division", "US"],
    ["Esquel Group", "GB"],
    // related jurisdictions are CN, HK and MO only
    ["Top Glove Sdn Bhd", "HK"],
    ["Sime Darby Plantation Berhad", "HK"],
    ["Hoshine Silicon Industry Co., Ltd.", "TW"],
    ["Hoshine Silicon Industry Co., Ltd.", "SG"],
    // a near spelling is never a part of a listed body
    ["Hosine Logistics Co., Ltd.", "CN"],
    ["Bingtuang 1st Division", "CN"],
    // Chinese script: a two-character short form, another body that starts alike, a different name
    ["兵团", "CN"],
    ["兵团食品有限公司", "CN"],
    ["新疆旅游局", "CN"],
    ["新疆生产建材有限公司", "CN"],
    ["新疆", "CN"],
    // generic words only: not all of the generic listed name
    ["China Cotton Group", "CN"],
    ["Xinjiang Cotton Co., Ltd.", "CN"],
    ["China Cotton Xinjiang Trading", "CN"],
  ];

  it.each(cases)("%s (%s)", (name, country) => {
    expect(screen(name, country)).toEqual([]);
  });
});

describe("judgment calls", () => {
  it("'Smart Gloves International' is a possible match for 'Smart Glove': same distinctive name, one extra generic word", () => {
    expect(screen("Smart Gloves International", "MY")).toMatchObject([{ banId: "smart-glove", strength: "possible" }]);
  });

  it("a single distinctive listed name with an added generic word is possible ('FGV Electronics')", () => {
    expect(screen("FGV Electronics", "MY")).toMatchObject([{ banId: "fgv", strength: "possible" }]);
  });
});
