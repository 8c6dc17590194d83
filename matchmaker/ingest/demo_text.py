# ruff: noqa: E501  (Italian sentences of the illustrative data set, kept one per line)
"""Words of the illustrative data set: fictitious names and varied Italian descriptions.

Each third-sector profile has its themes, concrete activities (with places and target groups
filled in from the organisation's territory), the RUNTS sections that fit it and name stems.
Descriptions are assembled from interchangeable parts (opening, 1-2 activities, who it works
with, how, numbers) so that two organisations of the same profile read differently.
"""

from __future__ import annotations

import dataclasses
import random
import re

__all__ = ["BUSINESS_SECTORS", "PROFILES", "Profile", "describe_business", "describe_ets"]


@dataclasses.dataclass(frozen=True)
class Profile:
    key: str
    themes: tuple[str, ...]
    sections: tuple[str, ...]
    stems: tuple[str, ...]
    activities: tuple[str, ...]
    targets: tuple[str, ...]


PROFILES: tuple[Profile, ...] = (
    Profile(
        "anziani",
        (
            "anziani_non_autosufficienza",
            "domiciliarita",
            "caregiver",
            "prossimita",
            "salute_benessere",
        ),
        ("odv", "aps", "impresa_sociale"),
        (
            "Filo d'Argento",
            "Età Serena",
            "Nonni Attivi",
            "La Quercia",
            "Il Focolare",
            "Mani Amiche",
        ),
        (
            "gestiamo un centro diurno per anziani a {place} aperto cinque giorni su sette",
            "portiamo a domicilio la spesa e i farmaci a chi vive solo a {place} e nelle frazioni",
            "organizziamo telefonate di compagnia e visite settimanali agli anziani soli di {place}",
            "affianchiamo i caregiver familiari con un gruppo di auto-mutuo aiuto che si riunisce a {place}",
            "offriamo ore di sollievo a domicilio alle famiglie che assistono una persona con demenza",
            "teniamo un punto di ascolto per le famiglie con anziani non autosufficienti nella casa di quartiere di {place}",
        ),
        (
            "anziani soli",
            "persone con demenza e le loro famiglie",
            "caregiver familiari",
            "over 75 che vivono nelle frazioni",
        ),
    ),
    Profile(
        "minori",
        (
            "poverta_educativa",
            "responsabilita_genitoriali",
            "sostegno_studio",
            "giovani",
            "sport_cultura",
        ),
        ("aps", "odv", "impresa_sociale"),
        (
            "Il Melograno",
            "La Bussola",
            "Arcobaleno",
            "Piccoli Passi",
            "Il Quaderno",
            "Casa dei Ragazzi",
        ),
        (
            "teniamo un doposcuola gratuito per i ragazzi delle medie a {place}",
            "organizziamo centri estivi a {place} con posti riservati ai bambini seguiti dai servizi",
            "gestiamo un'educativa di strada nei giardini e nelle piazze di {place}",
            "apriamo la biblioteca del quartiere il pomeriggio per compiti, letture ad alta voce e laboratori",
            "accompagniamo i genitori nei primi anni di vita dei figli con incontri e visite domiciliari a {place}",
            "sosteniamo lo studio di ragazzi stranieri con tutor volontari nelle scuole di {place}",
        ),
        (
            "bambini e ragazzi dai 6 ai 14 anni",
            "famiglie con minori in difficoltà",
            "adolescenti a rischio di abbandono scolastico",
            "neogenitori",
        ),
    ),
    Profile(
        "disabilita",
        (
            "disabilita",
            "inserimento_lavorativo",
            "trasporto_sociale",
            "sport_cultura",
            "agricoltura_sociale",
        ),
        ("impresa_sociale", "odv", "aps"),
        ("Oltre il Limite", "Il Sorriso", "Progetto Autonomia", "La Tartaruga", "Orizzonte"),
        (
            "gestiamo un laboratorio diurno di ceramica e falegnameria per adulti con disabilità a {place}",
            "accompagniamo giovani con disabilità intellettiva in esperienze di vita autonoma in un alloggio a {place}",
            "organizziamo sport integrato, nuoto e baskin, nella palestra comunale di {place}",
            "svolgiamo il trasporto di persone in carrozzina verso centri diurni e visite mediche",
            "seguiamo tirocini di inclusione per persone con disabilità nelle aziende del territorio di {place}",
        ),
        (
            "adulti con disabilità",
            "giovani con disabilità intellettiva",
            "famiglie di persone con disabilità",
        ),
    ),
    Profile(
        "marginalita",
        ("poverta_esclusione", "grave_marginalita", "sicurezza_alimentare", "abitare"),
        ("odv", "impresa_sociale", "altro_ets"),
        ("San Martino", "La Locanda", "Porta Aperta", "Il Mantello", "Rifugio"),
        (
            "gestiamo un dormitorio invernale da venti posti a {place}",
            "teniamo un centro d'ascolto che orienta le persone in difficoltà verso i servizi di {place}",
            "distribuiamo pacchi alimentari e vestiario due volte a settimana a {place}",
            "offriamo docce, lavanderia e un indirizzo di residenza fittizia alle persone senza dimora",
            "accompagniamo le persone uscite dalla strada verso un alloggio in housing first a {place}",
        ),
        (
            "persone senza dimora",
            "famiglie in povertà assoluta",
            "adulti soli in grave marginalità",
        ),
    ),
    Profile(
        "abitare",
        ("abitare", "prossimita", "servizi_collaborativi", "poverta_esclusione"),
        ("impresa_sociale", "aps", "altro_ets"),
        ("Casa Comune", "Il Cortile", "Abitare Insieme", "La Soglia", "Condominio Solidale"),
        (
            "gestiamo alloggi di transizione per famiglie sfrattate a {place}",
            "animiamo un condominio solidale a {place} dove giovani e anziani si scambiano piccoli aiuti",
            "facciamo da agenzia sociale per la casa tra proprietari e inquilini in difficoltà a {place}",
            "teniamo una portineria di comunità nelle case popolari di {place}",
        ),
        (
            "famiglie sotto sfratto",
            "inquilini delle case popolari",
            "giovani in cerca di autonomia abitativa",
        ),
    ),
    Profile(
        "lavoro",
        (
            "inserimento_lavorativo",
            "economia_civile",
            "agricoltura_sociale",
            "imprenditoria_sociale",
        ),
        ("impresa_sociale",),
        (
            "Il Germoglio",
            "Terra e Lavoro",
            "La Fabbrica",
            "Officina Solidale",
            "Il Raccolto",
            "Ecosolidale",
        ),
        (
            "inseriamo al lavoro persone svantaggiate nella manutenzione del verde pubblico di {place}",
            "gestiamo una lavanderia industriale a {place} dove lavorano persone in uscita da percorsi di cura",
            "coltiviamo ortaggi biologici in un'azienda agricola sociale alle porte di {place}",
            "gestiamo un servizio di raccolta e riuso di mobili e abiti usati con un negozio a {place}",
            "teniamo corsi di formazione in cucina e sala per giovani disoccupati a {place}",
        ),
        (
            "persone svantaggiate",
            "disoccupati di lunga durata",
            "detenuti ed ex detenuti",
            "giovani NEET",
        ),
    ),
    Profile(
        "migranti",
        ("migranti", "pari_opportunita", "giovani", "inserimento_lavorativo"),
        ("aps", "odv", "impresa_sociale"),
        ("Ponti", "Mondo Insieme", "Babele", "Radici e Ali", "Porte Aperte"),
        (
            "teniamo corsi gratuiti di italiano per donne straniere con servizio di baby sitting a {place}",
            "offriamo mediazione culturale nelle scuole e negli ambulatori di {place}",
            "accompagniamo i richiedenti asilo nella ricerca di casa e lavoro a {place}",
            "gestiamo uno sportello per permessi di soggiorno e ricongiungimenti familiari a {place}",
        ),
        (
            "donne straniere",
            "richiedenti asilo e rifugiati",
            "famiglie migranti",
            "minori stranieri non accompagnati",
        ),
    ),
    Profile(
        "salute_mentale",
        ("salute_mentale", "dipendenze", "integrazione_sociosanitaria", "orientamento_benessere"),
        ("impresa_sociale", "aps", "odv"),
        ("Il Faro", "Mente Aperta", "Il Volo", "Nuovi Orizzonti Verdi", "Il Cerchio"),
        (
            "gestiamo gruppi appartamento per persone in carico al centro di salute mentale di {place}",
            "organizziamo un club di tempo libero e teatro per persone con disagio psichico a {place}",
            "teniamo gruppi di auto-aiuto per familiari di persone con dipendenze a {place}",
            "svolgiamo prevenzione dell'abuso di alcol e azzardo nelle scuole superiori di {place}",
        ),
        (
            "persone con disagio psichico",
            "persone con dipendenze e i loro familiari",
            "adolescenti",
        ),
    ),
    Profile(
        "violenza",
        ("violenza_genere", "pari_opportunita", "responsabilita_genitoriali"),
        ("odv", "aps"),
        ("Donne in Rete", "Mai Più Sola", "La Mimosa", "Voce di Donna"),
        (
            "gestiamo un centro antiviolenza con sportello di ascolto e consulenza legale a {place}",
            "offriamo una casa rifugio a indirizzo segreto per donne e figli in uscita dalla violenza",
            "teniamo laboratori sul rispetto e sugli stereotipi nelle scuole di {place}",
            "accompagniamo le donne nella ricerca di lavoro e casa dopo il percorso di uscita dalla violenza",
        ),
        ("donne vittime di violenza e i loro figli", "studenti delle scuole superiori"),
    ),
    Profile(
        "giovani",
        ("giovani", "partecipazione", "innovazione_digitale", "sport_cultura"),
        ("aps", "impresa_sociale"),
        ("Spazio Giovani", "Officina delle Idee", "Controvento", "Fuori Rotta", "Il Cantiere"),
        (
            "gestiamo un centro di aggregazione giovanile con sala prove e laboratorio video a {place}",
            "accompagniamo ragazzi che non studiano e non lavorano con orientamento e tirocini a {place}",
            "organizziamo il servizio civile e il volontariato estivo per i ragazzi di {place}",
            "animiamo un fablab dove i ragazzi di {place} imparano stampa 3D ed elettronica",
        ),
        ("giovani dai 16 ai 29 anni", "ragazzi NEET", "studenti"),
    ),
    Profile(
        "digitale",
        ("innovazione_digitale", "tecnologie_sociali", "anziani_non_autosufficienza"),
        ("aps", "odv"),
        ("Clic Solidale", "Rete Amica", "Connessi", "Nonni Digitali"),
        (
            "teniamo corsi di smartphone e servizi online per over 65 nella biblioteca di {place}",
            "aiutiamo chi non ha dimestichezza col computer a prenotare visite e ottenere lo SPID a {place}",
            "ricondizioniamo computer dismessi e li doniamo alle famiglie con figli in età scolare",
        ),
        ("anziani", "famiglie senza strumenti digitali", "persone con bassa scolarità"),
    ),
    Profile(
        "montagna",
        ("aree_interne", "trasporto_sociale", "prossimita", "assistenza_leggera"),
        ("odv", "aps", "societa_mutuo_soccorso"),
        ("Valle Viva", "Borghi Solidali", "La Baita", "Sentieri", "Le Frazioni"),
        (
            "svolgiamo il trasporto sociale dalle frazioni di montagna verso l'ospedale e il mercato di {place}",
            "teniamo aperto un emporio di comunità a {place} che è anche punto prelievi e ufficio postale",
            "organizziamo visite e piccoli aiuti agli anziani che vivono isolati nelle borgate sopra {place}",
            "gestiamo una navetta a chiamata per chi non guida nei comuni della valle",
        ),
        (
            "anziani delle frazioni isolate",
            "abitanti delle borgate montane",
            "famiglie delle valli",
        ),
    ),
    Profile(
        "famiglie",
        ("nidi_infanzia", "conciliazione", "responsabilita_genitoriali", "rientro_congedo"),
        ("impresa_sociale", "aps"),
        ("Il Nido", "Girotondo", "Mamme e Papà", "La Culla", "Tempo per Noi"),
        (
            "gestiamo un micronido da ventiquattro posti con orari lunghi a {place}",
            "offriamo uno spazio gioco per bambini da zero a tre anni e i loro genitori a {place}",
            "organizziamo un servizio di baby sitting a chiamata per genitori che lavorano a turni",
            "accompagniamo le madri nel rientro al lavoro dopo la maternità con incontri e consulenze",
        ),
        ("famiglie con bambini piccoli", "madri lavoratrici", "genitori che lavorano a turni"),
    ),
    Profile(
        "cibo",
        ("sicurezza_alimentare", "economia_civile", "poverta_esclusione"),
        ("odv", "rete_associativa", "altro_ets"),
        ("Banco Solidale", "Pane Quotidiano", "Spreco Zero", "La Dispensa"),
        (
            "recuperiamo le eccedenze dei supermercati e delle mense di {place} e le redistribuiamo",
            "gestiamo un emporio solidale a punti a {place} per famiglie inviate dai servizi",
            "teniamo una cucina di comunità a {place} dove si cucina insieme e si mangia a prezzo sospeso",
        ),
        ("famiglie in povertà alimentare", "anziani con pensione minima", "persone sole"),
    ),
    Profile(
        "mutualita",
        ("welfare_integrativo", "salute_benessere", "sussidiarieta_circolare"),
        ("societa_mutuo_soccorso", "rete_associativa"),
        ("Mutua Piemontese", "Società Operaia", "Fratellanza", "Previdenza Amica"),
        (
            "rimborsiamo ai soci spese sanitarie, visite specialistiche e cure dentarie",
            "teniamo un poliambulatorio mutualistico a {place} con tariffe calmierate",
            "offriamo ai soci anziani un servizio di assistenza domiciliare integrativa",
        ),
        ("soci e famiglie", "lavoratori autonomi", "pensionati"),
    ),
    Profile(
        "filantropia",
        ("sussidiarieta_circolare", "partecipazione", "poverta_educativa", "economia_civile"),
        ("ente_filantropico",),
        ("Comunità Solidale", "Territorio Bene Comune", "Futuro Insieme"),
        (
            "finanziamo con bandi annuali progetti di welfare di comunità nei comuni intorno a {place}",
            "raccogliamo donazioni di cittadini e imprese in un fondo per le famiglie in difficoltà di {place}",
            "sosteniamo borse di studio per ragazzi meritevoli di famiglie a basso reddito",
        ),
        ("associazioni del territorio", "famiglie a basso reddito", "studenti"),
    ),
)

_AD = re.compile(r"\ba (?=[Aa])")  # "a Alba" -> "ad Alba", "a anziani" -> "ad anziani"
_FORMS = {
    "odv": "un'organizzazione di volontariato",
    "aps": "un'associazione di promozione sociale",
    "impresa_sociale": "una cooperativa sociale",
    "ente_filantropico": "una fondazione di comunità",
    "rete_associativa": "una rete di associazioni",
    "societa_mutuo_soccorso": "una società di mutuo soccorso",
    "altro_ets": "un ente del Terzo Settore",
}
_OPENINGS = (
    "{short} è {form} nata a {seat} nel {year}.",
    "Dal {year} {short} opera a {seat} e nei comuni vicini.",
    "Siamo {form} con sede a {seat}, attiva dal {year}.",
    "{short} nasce nel {year} a {seat} da un gruppo di {founders}.",
    "Con sede a {seat}, {short} lavora sul territorio dal {year}.",
)
_FOUNDERS = (
    "genitori",
    "volontari",
    "operatori sociali",
    "cittadini del quartiere",
    "insegnanti in pensione",
)
_LINKS = ("Inoltre", "Da qualche anno", "Accanto a questo", "In più", "Nel periodo invernale")
_WITH = (
    "Lavoriamo con {target} in accordo con i servizi sociali del territorio.",
    "Ci rivolgiamo soprattutto a {target}, spesso inviati dai servizi o dalle parrocchie.",
    "Le attività sono pensate per {target} di {places}.",
    "Seguiamo ogni anno circa {n} tra {target}.",
)
_HOW = (
    "Contiamo su {v} volontari e {w} operatori.",
    "Collaboriamo con le scuole, la parrocchia e le altre associazioni di {seat}.",
    "Partecipiamo ai tavoli di co-progettazione del distretto.",
    "Le attività sono gratuite e si accede su appuntamento.",
    "Il lavoro è coordinato da un'assistente sociale e da un educatore professionale.",
)


def describe_ets(
    rng: random.Random,
    profile: Profile,
    short: str,
    section: str,
    seat: str,
    places: list[str],
    year: int,
    place: str | None = None,
) -> str:
    """A 2-5 sentence Italian description that names activities, target groups and places."""
    fill = {
        "short": short,
        "form": _FORMS[section],
        "seat": seat,
        "year": year,
        "founders": rng.choice(_FOUNDERS),
    }
    sentences = [rng.choice(_OPENINGS).format(**fill)]
    acts = rng.sample(profile.activities, k=min(len(profile.activities), rng.choice((1, 1, 2))))
    others = places or [seat]
    for n, act in enumerate(acts):
        text = act.format(place=(place or seat) if n == 0 else rng.choice(others))
        if n:
            text = f"{rng.choice(_LINKS)} {text}"
        sentences.append(text[0].upper() + text[1:] + ".")
    extra = rng.randint(1, 5 - len(sentences))  # always say whom the work is for
    pool = [
        rng.choice(_WITH).format(
            target=rng.choice(profile.targets),
            places=" e ".join(sorted(set(others))[:2]),
            n=rng.choice((30, 40, 60, 80, 120, 200)),
        ),
        rng.choice(_HOW).format(v=rng.randint(5, 60), w=rng.randint(1, 25), seat=seat),
    ]
    sentences.extend(pool[:extra])
    return _AD.sub("ad ", " ".join(sentences))


BUSINESS_SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Meccanica", "lavorazioni meccaniche di precisione", ("welfare_aziendale", "conciliazione")),
    ("Tessile", "filatura e tessitura", ("welfare_aziendale", "nidi_infanzia", "rientro_congedo")),
    ("Alimentari", "produzione alimentare", ("welfare_aziendale", "sicurezza_alimentare")),
    (
        "Logistica",
        "trasporti e logistica",
        ("welfare_aziendale", "lavoro_agile", "trasporto_sociale"),
    ),
    (
        "Informatica",
        "sviluppo software",
        ("lavoro_agile", "innovazione_digitale", "volontariato_aziendale"),
    ),
    ("Edilizia", "costruzioni e ristrutturazioni", ("welfare_integrativo", "abitare")),
    ("Vitivinicola", "produzione di vino", ("welfare_aziendale", "agricoltura_sociale")),
    ("Commercio", "grande distribuzione", ("sicurezza_alimentare", "volontariato_aziendale")),
)


def describe_business(rng: random.Random, activity: str, seat: str, themes: list[str]) -> str:
    """A short description of a business and its company-welfare actions."""
    employees = rng.choice((18, 35, 60, 95, 140, 230))
    parts = [f"Azienda di {activity} con {employees} dipendenti a {seat}."]
    actions = {
        "welfare_aziendale": "ha un piano di welfare aziendale aperto anche ai residenti del comune",
        "conciliazione": "offre orari flessibili e un servizio di maggiordomo aziendale",
        "nidi_infanzia": "riserva posti in un nido convenzionato per i figli dei dipendenti",
        "rientro_congedo": "accompagna il rientro dal congedo parentale con orari ridotti",
        "sicurezza_alimentare": "dona le eccedenze di produzione a un emporio solidale",
        "lavoro_agile": "ha introdotto il lavoro agile due giorni a settimana",
        "trasporto_sociale": "mette a disposizione i propri mezzi per il trasporto sociale",
        "innovazione_digitale": "forma gratuitamente al digitale gli anziani del quartiere",
        "volontariato_aziendale": "promuove giornate di volontariato aziendale",
        "welfare_integrativo": "aderisce a una mutua sanitaria integrativa per i dipendenti",
        "abitare": "collabora al recupero di alloggi sociali",
        "agricoltura_sociale": "accoglie tirocini di agricoltura sociale in vigna",
    }
    chosen = [actions[t] for t in themes if t in actions]
    if chosen:
        parts.append("L'azienda " + " e ".join(chosen[:2]) + ".")
    return " ".join(parts)
