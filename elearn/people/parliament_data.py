"""The reference list of assisting and partner parliaments, named in every interface language.

Names are those the parliaments go by in each language (their own official name in their own language;
Portuguese: the European norm; Arabic: as Arabic media and the IPU write them)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceParliament:
    country_code: str
    chamber: str
    names: dict[str, str]
    gives: bool
    receives: bool
    languages: tuple[str, ...]


def _gives(code: str, chamber: str, languages: tuple[str, ...], **names: str) -> ReferenceParliament:
    return ReferenceParliament(code, chamber, names, gives=True, receives=False, languages=languages)


def _receives(code: str, chamber: str, languages: tuple[str, ...], **names: str) -> ReferenceParliament:
    return ReferenceParliament(code, chamber, names, gives=False, receives=True, languages=languages)


REFERENCE_PARLIAMENTS = [
    _gives("FR", "National Assembly", ("fr",),
           en="French National Assembly", fr="Assemblée nationale (France)", es="Asamblea Nacional de Francia",
           pt="Assembleia Nacional de França", ar="الجمعية الوطنية الفرنسية"),
    _gives("FR", "Senate", ("fr",),
           en="French Senate", fr="Sénat (France)", es="Senado de Francia", pt="Senado de França",
           ar="مجلس الشيوخ الفرنسي"),
    _gives("BE", "Chamber of Representatives", ("fr", "nl", "de"),
           en="Belgian Chamber of Representatives", fr="Chambre des représentants de Belgique",
           es="Cámara de Representantes de Bélgica", pt="Câmara dos Representantes da Bélgica",
           ar="مجلس النواب البلجيكي"),
    _gives("DE", "Bundestag", ("de",),
           en="German Bundestag", fr="Bundestag allemand", es="Bundestag alemán", pt="Bundestag alemão",
           ar="البوندستاغ الألماني"),
    _gives("PT", "Assembly of the Republic", ("pt",),
           en="Assembly of the Republic of Portugal", fr="Assemblée de la République (Portugal)",
           es="Asamblea de la República de Portugal", pt="Assembleia da República (Portugal)",
           ar="جمعية الجمهورية البرتغالية"),
    _gives("ES", "Congress of Deputies", ("es",),
           en="Congress of Deputies of Spain", fr="Congrès des députés (Espagne)",
           es="Congreso de los Diputados (España)", pt="Congresso dos Deputados de Espanha",
           ar="مجلس النواب الإسباني"),
    _receives("BT", "National Assembly", ("dz", "en"),
              en="Parliament of Bhutan", fr="Parlement du Bhoutan", es="Parlamento de Bután",
              pt="Parlamento do Butão", ar="برلمان بوتان"),
    _receives("GM", "National Assembly", ("en",),
              en="National Assembly of The Gambia", fr="Assemblée nationale de Gambie",
              es="Asamblea Nacional de Gambia", pt="Assembleia Nacional da Gâmbia", ar="الجمعية الوطنية في غامبيا"),
    _receives("MW", "National Assembly", ("en",),
              en="Parliament of Malawi", fr="Parlement du Malawi", es="Parlamento de Malaui",
              pt="Parlamento do Malawi", ar="برلمان ملاوي"),
    _receives("MV", "People's Majlis", ("dv", "en"),
              en="People's Majlis of Maldives", fr="Majlis du peuple des Maldives", es="Majlis del Pueblo de Maldivas",
              pt="Majlis do Povo das Maldivas", ar="مجلس الشعب في جزر المالديف"),
    _receives("MY", "Dewan Rakyat", ("ms", "en"),
              en="Parliament of Malaysia", fr="Parlement de Malaisie", es="Parlamento de Malasia",
              pt="Parlamento da Malásia", ar="البرلمان الماليزي"),
    _receives("MR", "National Assembly", ("ar", "fr"),
              en="National Assembly of Mauritania", fr="Assemblée nationale de Mauritanie",
              es="Asamblea Nacional de Mauritania", pt="Assembleia Nacional da Mauritânia",
              ar="الجمعية الوطنية الموريتانية"),
    _receives("PA", "National Assembly", ("es",),
              en="National Assembly of Panama", fr="Assemblée nationale du Panama", es="Asamblea Nacional de Panamá",
              pt="Assembleia Nacional do Panamá", ar="الجمعية الوطنية في بنما"),
    _receives("TT", "House of Representatives", ("en",),
              en="Parliament of Trinidad and Tobago", fr="Parlement de Trinité-et-Tobago",
              es="Parlamento de Trinidad y Tobago", pt="Parlamento de Trindade e Tobago",
              ar="برلمان ترينيداد وتوباغو"),
    _receives("ME", "Parliament", ("sr", "en"),
              en="Parliament of Montenegro", fr="Parlement du Monténégro", es="Parlamento de Montenegro",
              pt="Parlamento do Montenegro", ar="برلمان الجبل الأسود"),
    _receives("PE", "Congress", ("es",),
              en="Congress of the Republic of Peru", fr="Congrès de la République du Pérou",
              es="Congreso de la República del Perú", pt="Congresso da República do Peru",
              ar="كونغرس جمهورية بيرو"),
    _receives("BO", "Chamber of Deputies", ("es",),
              en="Plurinational Legislative Assembly of Bolivia", fr="Assemblée législative plurinationale de Bolivie",
              es="Asamblea Legislativa Plurinacional de Bolivia", pt="Assembleia Legislativa Plurinacional da Bolívia",
              ar="الجمعية التشريعية المتعددة القوميات في بوليفيا"),
    _receives("CL", "Chamber of Deputies", ("es",),
              en="Chamber of Deputies of Chile", fr="Chambre des députés du Chili",
              es="Cámara de Diputadas y Diputados de Chile", pt="Câmara dos Deputados do Chile",
              ar="مجلس النواب التشيلي"),
    _receives("CI", "National Assembly", ("fr",),
              en="National Assembly of Côte d'Ivoire", fr="Assemblée nationale de Côte d'Ivoire",
              es="Asamblea Nacional de Costa de Marfil", pt="Assembleia Nacional da Costa do Marfim",
              ar="الجمعية الوطنية في كوت ديفوار"),
    _receives("GW", "National People's Assembly", ("pt",),
              en="National People's Assembly of Guinea-Bissau", fr="Assemblée nationale populaire de Guinée-Bissau",
              es="Asamblea Nacional Popular de Guinea-Bisáu", pt="Assembleia Nacional Popular da Guiné-Bissau",
              ar="الجمعية الوطنية الشعبية في غينيا بيساو"),
    _receives("NE", "National Assembly", ("fr",),
              en="National Assembly of Niger", fr="Assemblée nationale du Niger", es="Asamblea Nacional de Níger",
              pt="Assembleia Nacional do Níger", ar="الجمعية الوطنية في النيجر"),
    _receives("LY", "House of Representatives", ("ar",),
              en="House of Representatives of Libya", fr="Chambre des représentants de Libye",
              es="Cámara de Representantes de Libia", pt="Câmara dos Representantes da Líbia",
              ar="مجلس النواب الليبي"),
    _receives("MG", "National Assembly", ("fr", "mg"),
              en="National Assembly of Madagascar", fr="Assemblée nationale de Madagascar",
              es="Asamblea Nacional de Madagascar", pt="Assembleia Nacional de Madagáscar",
              ar="الجمعية الوطنية في مدغشقر"),
    _receives("MD", "Parliament", ("ro",),
              en="Parliament of the Republic of Moldova", fr="Parlement de la République de Moldavie",
              es="Parlamento de la República de Moldavia", pt="Parlamento da República da Moldávia",
              ar="برلمان جمهورية مولدوفا"),
    _receives("LB", "Chamber of Deputies", ("ar", "fr"),
              en="Parliament of Lebanon", fr="Parlement du Liban", es="Parlamento del Líbano",
              pt="Parlamento do Líbano", ar="مجلس النواب اللبناني"),
    _receives("HT", "Chamber of Deputies", ("fr", "ht"),
              en="Chamber of Deputies of Haiti", fr="Chambre des députés d'Haïti", es="Cámara de Diputados de Haití",
              pt="Câmara dos Deputados do Haiti", ar="مجلس النواب في هايتي"),
]
