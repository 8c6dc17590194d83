"""A small gazetteer of Piemonte's named areas that are not comuni.

Needs name historical regions, valleys and province adjectives ("nel Biellese", "in Val di
Susa", "nel Monferrato") far more often than single comuni. Each area maps to its
provinces and to a few anchor comuni (main towns of the valley or region), so that
distances can be measured from them. This is general geography of the region, written
once; it is not tuned to any query. Names are matched accent- and case-insensitively.
"""

from __future__ import annotations

__all__ = ["AREAS"]

#: variants -> (provinces, anchor comuni by ISTAT name)
AREAS: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {
    # province names and adjectives
    ("torinese", "provincia di torino", "area metropolitana di torino", "citta metropolitana"): (
        ("TO",),
        (),
    ),
    ("cuneese", "provincia di cuneo", "granda"): (("CN",), ()),
    ("astigiano", "provincia di asti"): (("AT",), ()),
    ("alessandrino", "provincia di alessandria"): (("AL",), ()),
    ("novarese", "provincia di novara"): (("NO",), ()),
    ("vercellese", "provincia di vercelli"): (("VC",), ()),
    ("biellese", "provincia di biella"): (("BI",), ()),
    ("verbano-cusio-ossola", "verbano cusio ossola", "vco", "provincia del vco"): (("VB",), ()),
    ("verbano",): (("VB",), ("Verbania", "Cannobio", "Stresa")),
    ("cusio",): (("VB", "NO"), ("Omegna", "Orta San Giulio", "Gozzano")),
    ("ossola", "valdossola", "val d'ossola"): (("VB",), ("Domodossola", "Villadossola", "Crodo")),
    # Torino
    ("canavese",): (("TO",), ("Ivrea", "Cuorgnè", "Rivarolo Canavese", "Castellamonte")),
    ("eporediese",): (("TO",), ("Ivrea",)),
    ("pinerolese",): (("TO",), ("Pinerolo",)),
    ("chierese",): (("TO",), ("Chieri",)),
    ("carmagnolese",): (("TO",), ("Carmagnola",)),
    ("val di susa", "valle di susa", "valsusa", "val susa", "valle susa"): (
        ("TO",),
        ("Susa", "Bussoleno", "Avigliana", "Oulx", "Sant'Ambrogio di Torino"),
    ),
    ("val sangone",): (("TO",), ("Giaveno",)),
    ("valli di lanzo", "valli lanzo"): (("TO",), ("Lanzo Torinese", "Ceres", "Viù")),
    ("val chisone", "valle chisone"): (("TO",), ("Perosa Argentina", "Fenestrelle")),
    ("val pellice", "valle pellice"): (("TO",), ("Torre Pellice", "Luserna San Giovanni")),
    ("cintura di torino", "prima cintura"): (("TO",), ("Torino",)),
    # Cuneo
    ("langhe", "langa"): (("CN",), ("Alba", "Dogliani", "Cortemilia", "Bossolasco")),
    ("roero",): (("CN",), ("Canale", "Montà", "Bra")),
    ("saluzzese",): (("CN",), ("Saluzzo",)),
    ("monregalese",): (("CN",), ("Mondovì",)),
    ("fossanese",): (("CN",), ("Fossano",)),
    ("braidese",): (("CN",), ("Bra",)),
    ("albese",): (("CN",), ("Alba",)),
    ("valle stura", "val stura", "valli stura"): (("CN",), ("Demonte", "Vinadio", "Moiola")),
    ("valle grana", "val grana", "valli grana"): (
        ("CN",),
        ("Caraglio", "Valgrana", "Monterosso Grana"),
    ),
    ("valle maira", "val maira", "valli maira"): (("CN",), ("Dronero", "Stroppo", "Acceglio")),
    ("valle varaita", "val varaita"): (("CN",), ("Sampeyre", "Venasca")),
    ("valle po", "valle del po"): (("CN",), ("Paesana",)),
    ("valle gesso", "val gesso"): (("CN",), ("Valdieri", "Entracque")),
    ("valle vermenagna", "val vermenagna"): (("CN",), ("Vernante", "Limone Piemonte")),
    ("val tanaro", "alta val tanaro"): (("CN",), ("Ceva", "Garessio", "Ormea")),
    # Asti and Alessandria
    ("monferrato",): (
        ("AT", "AL"),
        ("Casale Monferrato", "Nizza Monferrato", "Moncalvo", "Montiglio Monferrato"),
    ),
    ("basso monferrato",): (("AT", "AL"), ("Moncalvo", "Casale Monferrato")),
    ("alto monferrato",): (("AL", "AT"), ("Acqui Terme", "Ovada", "Nizza Monferrato")),
    ("valle belbo", "val belbo"): (("AT", "CN"), ("Canelli", "Nizza Monferrato")),
    ("tortonese",): (("AL",), ("Tortona",)),
    ("novese",): (("AL",), ("Novi Ligure",)),
    ("ovadese",): (("AL",), ("Ovada",)),
    ("acquese",): (("AL",), ("Acqui Terme",)),
    ("casalese",): (("AL",), ("Casale Monferrato",)),
    ("valenzano",): (("AL",), ("Valenza",)),
    ("val borbera", "valle borbera"): (("AL",), ("Cabella Ligure", "Rocchetta Ligure")),
    # Vercelli, Biella, Novara
    ("valsesia", "val sesia"): (
        ("VC",),
        ("Varallo", "Borgosesia", "Quarona", "Scopello", "Alagna Valsesia"),
    ),
    ("baraggia",): (("BI", "VC"), ("Cossato", "Gattinara")),
    ("valle cervo", "valle del cervo"): (("BI",), ("Andorno Micca",)),
    ("valle mosso", "vallestrona"): (("BI",), ("Valdilana", "Cossato")),
    ("lago maggiore",): (("VB", "NO"), ("Verbania", "Stresa", "Arona")),
    ("lago d'orta",): (("NO", "VB"), ("Orta San Giulio", "Omegna")),
}
