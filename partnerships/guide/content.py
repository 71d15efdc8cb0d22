"""The seeded text of the guide (one turnkey approach per type of the deck) and the roadmap
of the deck's annex B. Written from the council's 2017 deck and its cases; admins edit it
afterwards in the admin (the seed migration only fills what is missing)."""

# Practices of the registry's table (partnerships/reference.py) checked for each type.
PRACTICES = {
    "co-location": [
        "adjoining-counters",
        "shared-waiting-self-serve",
        "harmonised-hours",
        "single-entrance",
        "joint-signage-queueing",
    ],
    "cross-promotion": ["joint-signage-queueing", "shared-waiting-self-serve"],
    "joint-outreach": ["harmonised-hours", "local-facilitator-interpreter", "shared-staff"],
    "hosted-outreach": ["local-facilitator-interpreter", "harmonised-hours", "single-entrance"],
    "integrated-services": ["shared-staff", "harmonised-hours", "joint-signage-queueing"],
    "digital-collaboration": ["interactive-kiosk", "shared-waiting-self-serve"],
    "virtual-service": ["local-facilitator-interpreter", "interactive-kiosk"],
}

_STEPS_START_EN = """\
1. **Find the opportunity.** Use the map's co-location finder and the inventory: which
   points of different organizations serve the same community, and what one offers that the
   other does not.
2. **Check readiness** with the deck's four factors: political will, organisational readiness,
   resources and tools, client drivers. Rate each with a note in the record."""
_STEPS_START_FR = """\
1. **Repérer l’occasion.** Servez-vous de l’outil de recherche de cohabitation de la
   carte et de l’inventaire : quels points d’organisations différentes servent la même
   collectivité, et qu’offre l’un que l’autre n’offre pas ?
2. **Évaluer l’état de préparation** selon les quatre facteurs de la présentation : volonté
   politique, préparation organisationnelle, ressources et outils, besoins des clients. Notez
   chacun avec une remarque dans la fiche."""
_STEPS_END_EN = """
{n}. **Record it and propose it** in the inventory: parties with their roles, sites,
   objectives, practices. Every government party approves the agreed terms.
{n1}. **Sign the agreement** (an MOU or service agreement), attach it to the record, then run a
   pilot with a baseline and a target for each outcome.
{n2}. **Evaluate and share.** Record the actual outcomes and the lessons learned, so that the
   next partnership of this type starts from them."""
_STEPS_END_FR = """
{n}. **La consigner et la proposer** dans l’inventaire : parties et leur rôle, sites,
   objectifs, pratiques. Chaque partie gouvernementale approuve les modalités convenues.
{n1}. **Signer l’entente** (protocole d’entente ou entente de service), la joindre à la fiche,
   puis mener un projet pilote avec une valeur de départ et une cible pour chaque résultat.
{n2}. **Évaluer et faire connaître.** Consignez les résultats obtenus et les leçons apprises,
   pour que le prochain partenariat de ce type parte de là."""

# The middle steps, special to each type: (English, French) lists of steps.
_MIDDLE = {
    "co-location": (
        [
            "**Choose the office** that will be shared, with room for adjoining counters, one "
            "entrance and a shared waiting and self-serve area (Picton, Ontario, is the model).",
            "**Design the space together**: counters side by side, joint signage and a single "
            "queueing system so that clients do not have to know whose service they need.",
        ],
        [
            "**Choisir le bureau** à partager, avec de la place pour des comptoirs adjacents, "
            "une seule entrée et une aire d’attente et de libre-service commune (Picton, en "
            "Ontario, sert de modèle).",
            "**Aménager l’espace ensemble** : comptoirs côte à côte, signalisation commune et un "
            "seul système de file d’attente, pour que le client n’ait pas à savoir de qui "
            "relève le service.",
        ],
    ),
    "cross-promotion": (
        [
            "**List what each partner's clients most often ask for** that the other provides.",
            "**Agree the material**: joint signage, brochures in the waiting and self-serve "
            "areas, referral scripts for counter staff, links between the websites.",
        ],
        [
            "**Dresser la liste de ce que les clients de chaque partenaire demandent le plus "
            "souvent** et que l’autre offre.",
            "**S’entendre sur le matériel** : signalisation commune, dépliants dans les aires "
            "d’attente et de libre-service, texte d’aiguillage pour le personnel au comptoir, "
            "liens entre les sites Web.",
        ],
    ),
    "joint-outreach": (
        [
            "**Plan the visits together**: which communities, how often, with whose staff; "
            "use the map's population and digital vulnerability layers to choose.",
            "**Arrange local help**: a facilitator or interpreter known in the community, and a "
            "room the community offers.",
        ],
        [
            "**Planifier les visites ensemble** : quelles collectivités, à quelle fréquence, "
            "avec quel personnel ; choisissez à l’aide des couches de population et de "
            "vulnérabilité numérique de la carte.",
            "**Prévoir de l’aide locale** : un facilitateur ou un interprète connu de la "
            "collectivité, et une salle qu’elle offre.",
        ],
    ),
    "hosted-outreach": (
        [
            "**Agree what the host provides**: space, hours, reception, and which of its staff "
            "do what (as the Government of the Northwest Territories does for Service Canada).",
            "**Train the host's staff** on the guest's services and on where to refer what "
            "they cannot do.",
        ],
        [
            "**Convenir de ce que fournit l’hôte** : locaux, heures, accueil, et qui de son "
            "personnel fait quoi (comme le gouvernement des Territoires du Nord-Ouest le fait "
            "pour Service Canada).",
            "**Former le personnel de l’hôte** aux services de l’invité et à l’aiguillage pour "
            "ce qu’il ne peut pas faire.",
        ],
    ),
    "integrated-services": (
        [
            "**Define the service delivered on the other's behalf**: its rules, forms, fees and "
            "who decides (Service New Brunswick processes pleasure craft licences for Transport "
            "Canada since 2006).",
            "**Agree the data and the money**: what information passes between you, how it is "
            "protected, and how the delivery agent is paid.",
        ],
        [
            "**Définir le service offert au nom de l’autre** : ses règles, formulaires, frais et "
            "qui décide (Services Nouveau-Brunswick traite les permis d’embarcation de "
            "plaisance pour Transports Canada depuis 2006).",
            "**S’entendre sur les données et l’argent** : quels renseignements circulent, "
            "comment ils sont protégés, et comment l’agent de prestation est payé.",
        ],
    ),
    "digital-collaboration": (
        [
            "**Choose the channel**: an online application hosted by one partner, or an "
            "interactive kiosk in the other's offices (Service Canada kiosks in two Service "
            "New Brunswick locations).",
            "**Agree support**: who answers the client when the application or kiosk fails, "
            "and who maintains it.",
        ],
        [
            "**Choisir le moyen** : une demande en ligne hébergée par un partenaire, ou une "
            "borne interactive dans les bureaux de l’autre (bornes de Service Canada dans deux "
            "centres de Services Nouveau-Brunswick).",
            "**Convenir du soutien** : qui répond au client quand la demande ou la borne ne "
            "fonctionne pas, et qui l’entretient.",
        ],
    ),
    "virtual-service": (
        [
            "**Set up the link**: video or a virtual agent between a community and a service "
            "centre (Nain and the Happy Valley-Goose Bay Service Canada Centre; the virtual "
            "agent at Saint-Léonard, Montréal).",
            "**Arrange a local facilitator or interpreter** who helps clients with the "
            "equipment and the language.",
        ],
        [
            "**Établir le lien** : vidéo ou agent virtuel entre une collectivité et un centre "
            "de services (Nain et le Centre Service Canada de Happy Valley-Goose Bay ; l’agent "
            "virtuel de Saint-Léonard, à Montréal).",
            "**Prévoir un facilitateur ou un interprète local** qui aide les clients avec "
            "l’équipement et la langue.",
        ],
    ),
}

# The common standards, with a line special to each type: (English, French).
_STANDARD_EXTRA = {
    "co-location": (
        "One set of opening hours posted at the single entrance.",
        "Un seul horaire affiché à l’entrée unique.",
    ),
    "cross-promotion": (
        "Referral material kept up to date by its owner, checked at each review.",
        "Le matériel d’aiguillage est tenu à jour par son propriétaire, vérifié à chaque bilan.",
    ),
    "joint-outreach": (
        "A visit calendar published in the community ahead of time.",
        "Un calendrier des visites publié à l’avance dans la collectivité.",
    ),
    "hosted-outreach": (
        "The host's workplace rules apply to the guest's staff on site.",
        "Les règles du lieu de travail de l’hôte s’appliquent au personnel invité sur place.",
    ),
    "integrated-services": (
        "Service standards and privacy obligations of the owner of the service apply.",
        "Les normes de service et les obligations en matière de vie privée du propriétaire du "
        "service s’appliquent.",
    ),
    "digital-collaboration": (
        "Hours during which help is available beside the application or kiosk.",
        "Les heures où de l’aide est offerte à côté de la demande en ligne ou de la borne.",
    ),
    "virtual-service": (
        "Hours when the centre answers, set to the community's time zone.",
        "Les heures où le centre répond, selon le fuseau horaire de la collectivité.",
    ),
}

_STANDARDS_EN = """\
Agree these in writing before the pilot starts, and review them at each evaluation:

- **Hours of service**: the same hours for every partner at the shared point, posted for
  clients. {extra}
- **Occupational health and safety**: whose rules apply on site, who the health and safety
  contact is, emergency procedures, and how incidents are reported to each employer.
- **Staff briefing on the agreement**: every employee who serves clients knows what was
  agreed, what each partner offers, and where to refer what they cannot do.
- **Client privacy and complaints**: which partner answers for what, and how a complaint
  reaches the right one."""
_STANDARDS_FR = """Convenez-en par écrit avant le début du projet pilote, et revoyez-les à chaque
évaluation :

- **Heures de service** : les mêmes heures pour tous les partenaires au point commun,
  affichées pour les clients. {extra}
- **Santé et sécurité au travail** : quelles règles s’appliquent sur place, qui est la
  personne-ressource en santé et sécurité, les procédures d’urgence, et comment les incidents
  sont signalés à chaque employeur.
- **Information du personnel sur l’entente** : chaque employé qui sert les clients sait ce
  qui a été convenu, ce qu’offre chaque partenaire et où aiguiller ce qu’il ne peut pas faire.
- **Vie privée et plaintes des clients** : quel partenaire répond de quoi, et comment une
  plainte parvient au bon."""


def _steps(start, middle, end):
    lines = [start]
    for number, step in enumerate(middle, start=3):
        lines.append(f"{number}. {step}")
    n = 3 + len(middle)
    return "\n".join(lines) + end.format(n=n, n1=n + 1, n2=n + 2)


def chapters():
    """code: {steps_en, steps_fr, standards_en, standards_fr, practices} for the seven types."""
    result = {}
    for code, (middle_en, middle_fr) in _MIDDLE.items():
        extra_en, extra_fr = _STANDARD_EXTRA[code]
        result[code] = {
            "steps_en": _steps(_STEPS_START_EN, middle_en, _STEPS_END_EN),
            "steps_fr": _steps(_STEPS_START_FR, middle_fr, _STEPS_END_FR),
            "standards_en": _STANDARDS_EN.format(extra=extra_en),
            "standards_fr": _STANDARDS_FR.format(extra=extra_fr),
            "practices": PRACTICES[code],
        }
    return result


OWNER_EN = "The council"

# The deck's annex B: code: (English, French, [milestones]). A milestone: (date, end date,
# status as the 2017 deck reported it, English, French, owner, link).
STREAMS = {
    "mapping-tool": (
        "Understand our network: the mapping tool",
        "Comprendre notre réseau : l’outil de cartographie",
        [
            ("2015-01-01", None, "done", "Data collected through the council",
             "Données recueillies par l’entremise du conseil", OWNER_EN, "/map/"),
            ("2016-01-01", None, "done", "Proof of concept shared with jurisdictions",
             "Validation de principe communiquée aux administrations", OWNER_EN, "/map/"),
        ],
    ),
    "strategic-pilots": (
        "Strategic pilots",
        "Projets pilotes stratégiques",
        [
            ("2017-01-01", None, "in_progress", "Inventory of innovative pilots",
             "Inventaire des projets pilotes novateurs", OWNER_EN, "/partnerships/"),
        ],
    ),
    "partnership-guide": (
        "The partnership guide",
        "Le guide des partenariats",
        [
            ("2018-01-01", None, "planned", "Guide drafted with the questionnaire's findings",
             "Guide rédigé à partir des constats du questionnaire", OWNER_EN,
             "/partnerships/guide/"),
            ("2018-01-01", "2020-12-31", "planned",
             "Use the guide as the model of best practice",
             "Utiliser le guide comme modèle de pratiques exemplaires", OWNER_EN,
             "/partnerships/guide/"),
        ],
    ),
    "questionnaire": (
        "The questionnaire",
        "Le questionnaire",
        [
            ("2017-01-01", None, "in_progress",
             "Questionnaire tested with New Brunswick and Ontario",
             "Questionnaire mis à l’essai avec le Nouveau-Brunswick et l’Ontario", OWNER_EN, ""),
            ("2018-01-01", None, "planned", "Launch with all jurisdictions",
             "Lancement auprès de toutes les administrations", OWNER_EN, ""),
        ],
    ),
    "integrated-service-models": (
        "Future integrated service models",
        "Futurs modèles de services intégrés",
        [
            ("2018-01-01", "2020-12-31", "planned", "Gradual implementation",
             "Mise en œuvre progressive", OWNER_EN, "/partnerships/"),
        ],
    ),
}  # fmt: skip
