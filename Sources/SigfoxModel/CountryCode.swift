/// ISO 3166-1 country codes, for `{countryCode}` (SIGFOX.md section 3: ISO 3166 numeric, `250`).
///
/// The API v2 lists a message's `country` as ISO 3166 alpha-3 (`FRA`, WIRE.md), the callbacks write the
/// numeric code: a recorded message replays with the code its callbacks received. The table is ISO 3166-1
/// as Debian's iso-codes package gives it (alpha-3, alpha-2 and numeric of each of its 249 countries).
public enum CountryCode {
    /// The numeric code (`250`) of a country written as its numeric, alpha-3 (`FRA`) or alpha-2 (`FR`)
    /// code, in any case; nil when it is none of them.
    public static func numeric(_ text: String) -> String? {
        let upper = text.uppercased()
        if upper.count == 3, upper.allSatisfy(\.isNumber) { return byNumeric.contains(upper) ? upper : nil }
        return byAlpha[upper]
    }

    /// The alpha-3 code (`FRA`) of a country written as its numeric, alpha-3 or alpha-2 code (the API v2's
    /// `country` of a message, WIRE.md); nil when it is none of them.
    public static func alpha3(_ text: String) -> String? {
        guard let numeric = numeric(text) else { return nil }
        return entries.first { $0.numeric == numeric }?.alpha3
    }

    /// Every entry as 8 characters: alpha-3, alpha-2, numeric (`FRAFR250`).
    private static let packed = [
        "ABWAW533AFGAF004AGOAO024AIAAI660ALAAX248ALBAL008ANDAD020AREAE784ARGAR032ARMAM051ASMAS016ATAAQ010",
        "ATFTF260ATGAG028AUSAU036AUTAT040AZEAZ031BDIBI108BELBE056BENBJ204BESBQ535BFABF854BGDBD050BGRBG100",
        "BHRBH048BHSBS044BIHBA070BLMBL652BLRBY112BLZBZ084BMUBM060BOLBO068BRABR076BRBBB052BRNBN096BTNBT064",
        "BVTBV074BWABW072CAFCF140CANCA124CCKCC166CHECH756CHLCL152CHNCN156CIVCI384CMRCM120CODCD180COGCG178",
        "COKCK184COLCO170COMKM174CPVCV132CRICR188CUBCU192CUWCW531CXRCX162CYMKY136CYPCY196CZECZ203DEUDE276",
        "DJIDJ262DMADM212DNKDK208DOMDO214DZADZ012ECUEC218EGYEG818ERIER232ESHEH732ESPES724ESTEE233ETHET231",
        "FINFI246FJIFJ242FLKFK238FRAFR250FROFO234FSMFM583GABGA266GBRGB826GEOGE268GGYGG831GHAGH288GIBGI292",
        "GINGN324GLPGP312GMBGM270GNBGW624GNQGQ226GRCGR300GRDGD308GRLGL304GTMGT320GUFGF254GUMGU316GUYGY328",
        "HKGHK344HMDHM334HNDHN340HRVHR191HTIHT332HUNHU348IDNID360IMNIM833INDIN356IOTIO086IRLIE372IRNIR364",
        "IRQIQ368ISLIS352ISRIL376ITAIT380JAMJM388JEYJE832JORJO400JPNJP392KAZKZ398KENKE404KGZKG417KHMKH116",
        "KIRKI296KNAKN659KORKR410KWTKW414LAOLA418LBNLB422LBRLR430LBYLY434LCALC662LIELI438LKALK144LSOLS426",
        "LTULT440LUXLU442LVALV428MACMO446MAFMF663MARMA504MCOMC492MDAMD498MDGMG450MDVMV462MEXMX484MHLMH584",
        "MKDMK807MLIML466MLTMT470MMRMM104MNEME499MNGMN496MNPMP580MOZMZ508MRTMR478MSRMS500MTQMQ474MUSMU480",
        "MWIMW454MYSMY458MYTYT175NAMNA516NCLNC540NERNE562NFKNF574NGANG566NICNI558NIUNU570NLDNL528NORNO578",
        "NPLNP524NRUNR520NZLNZ554OMNOM512PAKPK586PANPA591PCNPN612PERPE604PHLPH608PLWPW585PNGPG598POLPL616",
        "PRIPR630PRKKP408PRTPT620PRYPY600PSEPS275PYFPF258QATQA634REURE638ROURO642RUSRU643RWARW646SAUSA682",
        "SDNSD729SENSN686SGPSG702SGSGS239SHNSH654SJMSJ744SLBSB090SLESL694SLVSV222SMRSM674SOMSO706SPMPM666",
        "SRBRS688SSDSS728STPST678SURSR740SVKSK703SVNSI705SWESE752SWZSZ748SXMSX534SYCSC690SYRSY760TCATC796",
        "TCDTD148TGOTG768THATH764TJKTJ762TKLTK772TKMTM795TLSTL626TONTO776TTOTT780TUNTN788TURTR792TUVTV798",
        "TWNTW158TZATZ834UGAUG800UKRUA804UMIUM581URYUY858USAUS840UZBUZ860VATVA336VCTVC670VENVE862VGBVG092",
        "VIRVI850VNMVN704VUTVU548WLFWF876WSMWS882YEMYE887ZAFZA710ZMBZM894ZWEZW716",
    ].joined()

    private static let entries: [(alpha3: String, alpha2: String, numeric: String)] = {
        let characters = Array(packed)
        return stride(from: 0, to: characters.count, by: 8).map { start in
            (
                String(characters[start..<start + 3]), String(characters[start + 3..<start + 5]),
                String(characters[start + 5..<start + 8])
            )
        }
    }()

    private static let byAlpha: [String: String] = {
        var table = [String: String]()
        for entry in entries {
            table[entry.alpha3] = entry.numeric
            table[entry.alpha2] = entry.numeric
        }
        return table
    }()

    private static let byNumeric = Set(entries.map(\.numeric))
}
