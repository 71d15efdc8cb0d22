"""The real partnerships and pilots of the council's 2017 deck, as `manage.py
load_partnerships` records them. Only what the deck says: dates it does not give are left
empty, sites it does not name are not linked.

Each case: parties as (organization code, role, sector); sites as (organization code,
community) of a registry point, linked when the registry has one there.
"""

SOURCE = "Council deck, 2017"

# Organizations the deck names that the registry's reference list does not hold.
# code: (jurisdiction, English, French, website)
ORGANIZATIONS = {
    "transport-canada": (
        "CA",
        "Transport Canada",
        "Transports Canada",
        "https://tc.canada.ca/",
    ),
    "government-of-nova-scotia": (
        "NS",
        "Government of Nova Scotia",
        "Gouvernement de la Nouvelle-Écosse",
        "https://novascotia.ca/",
    ),
    "nova-scotia-community-college": (
        "NS",
        "Nova Scotia Community College",
        "Nova Scotia Community College",
        "https://www.nscc.ca/",
    ),
    "mikmaq-native-friendship-centre": (
        "NS",
        "Mi'kmaw Native Friendship Centre",
        "Centre d’amitié autochtone mi’kmaq",
        "https://www.mymnfc.com/",
    ),
    "halifax-shipyard-employers": (
        "NS",
        "Private-sector partners (Halifax shipyard)",
        "Partenaires du secteur privé (chantier naval de Halifax)",
        "",
    ),
    "metal-trades-union": (
        "NS",
        "Union partner (metal trades)",
        "Partenaire syndical (métiers de la métallurgie)",
        "",
    ),
}

CASES = [
    {
        "key": "picton-shared-office",
        "title_en": "Picton shared office: ServiceOntario and Service Canada",
        "title_fr": "Bureau partagé de Picton : ServiceOntario et Service Canada",
        "summary_en": (
            "ServiceOntario and Service Canada serve the public from one office in Picton, "
            "Ontario."
        ),
        "summary_fr": (
            "ServiceOntario et Service Canada servent le public dans un même bureau à Picton "
            "(Ontario)."
        ),
        "type": "co-location",
        "status": "in_operation",
        "parties": [
            ("serviceontario", "partner", "government"),
            ("service-canada", "partner", "government"),
        ],
        "sites": [("serviceontario", "Picton"), ("service-canada", "Picton")],
        "communities": "Picton, Ontario",
        "practices": [
            "adjoining-counters",
            "shared-waiting-self-serve",
            "harmonised-hours",
            "single-entrance",
            "joint-signage-queueing",
        ],
    },
    {
        "key": "snb-pleasure-craft-licences",
        "title_en": "Service New Brunswick processes pleasure craft licences for Transport Canada",
        "title_fr": (
            "Services Nouveau-Brunswick traite les permis d’embarcation de plaisance pour "
            "Transports Canada"
        ),
        "summary_en": (
            "Since 2006 Service New Brunswick processes pleasure craft licences for Transport "
            "Canada across Canada, now mostly through an online application hosted on "
            "Transport Canada's site."
        ),
        "summary_fr": (
            "Depuis 2006, Services Nouveau-Brunswick traite les permis d’embarcation de "
            "plaisance de tout le Canada pour Transports Canada, aujourd’hui surtout au moyen "
            "d’une demande en ligne hébergée sur le site de Transports Canada."
        ),
        "type": "integrated-services",
        "status": "in_operation",
        "start_date": "2006-01-01",
        "status_date": "2006-01-01",
        "parties": [
            ("transport-canada", "lead", "government"),
            ("service-new-brunswick", "delivery_agent", "government"),
        ],
        "sites": [],
        "communities": "Canada (national service)",
        "practices": [],
    },
    {
        "key": "snb-service-canada-kiosks",
        "title_en": "Service Canada kiosks in Service New Brunswick centres",
        "title_fr": "Bornes de Service Canada dans les centres de Services Nouveau-Brunswick",
        "summary_en": (
            "A pilot offering Service Canada services by interactive kiosk in two Service New "
            "Brunswick locations (Atlantic region). Next step: a memorandum of understanding."
        ),
        "summary_fr": (
            "Un projet pilote offrant les services de Service Canada par borne interactive dans "
            "deux centres de Services Nouveau-Brunswick (région de l’Atlantique). Prochaine "
            "étape : un protocole d’entente."
        ),
        "type": "digital-collaboration",
        "status": "pilot",
        "parties": [
            ("service-canada", "partner", "government"),
            ("service-new-brunswick", "host", "government"),
        ],
        "sites": [],
        "communities": "New Brunswick (two SNB locations)",
        "practices": ["interactive-kiosk"],
    },
    {
        "key": "nova-scotia-metal-trades",
        "title_en": "Nova Scotia metal trades training for the Halifax shipyard",
        "title_fr": "Formation aux métiers de la métallurgie pour le chantier naval de Halifax",
        "summary_en": (
            "A pilot of the federal and provincial governments, the Nova Scotia Community "
            "College, the private sector and the union, delivered by the Mi'kmaw Native "
            "Friendship Centre: training Indigenous people in metal trades for jobs at the "
            "Halifax shipyard."
        ),
        "summary_fr": (
            "Un projet pilote des gouvernements fédéral et provincial, du Nova Scotia Community "
            "College, du secteur privé et du syndicat, offert par le Centre d’amitié autochtone "
            "mi’kmaq : former des Autochtones aux métiers de la métallurgie pour des emplois au "
            "chantier naval de Halifax."
        ),
        "type": "integrated-services",
        "status": "pilot",
        "start_date": "2018-01-01",
        "status_date": "2018-01-01",
        "parties": [
            ("service-canada", "funder", "government"),
            ("government-of-nova-scotia", "funder", "government"),
            ("nova-scotia-community-college", "partner", "college"),
            ("halifax-shipyard-employers", "partner", "private"),
            ("metal-trades-union", "partner", "union"),
            ("mikmaq-native-friendship-centre", "delivery_agent", "indigenous"),
        ],
        "sites": [],
        "communities": "Halifax, Nova Scotia\nIndigenous people of Nova Scotia",
        "practices": [],
    },
    {
        "key": "nain-virtual-outreach",
        "title_en": "Nain virtual outreach with the Happy Valley-Goose Bay Service Canada Centre",
        "title_fr": (
            "Services d’approche virtuels à Nain avec le Centre Service Canada de "
            "Happy Valley-Goose Bay"
        ),
        "summary_en": (
            "A Nain resident is hired as facilitator and interpreter between residents and "
            "Service Canada staff at the Happy Valley-Goose Bay centre, serving in the local "
            "dialect."
        ),
        "summary_fr": (
            "Une personne de Nain est engagée comme facilitatrice et interprète entre les "
            "résidents et le personnel de Service Canada du centre de Happy Valley-Goose Bay, "
            "dans le dialecte local."
        ),
        "type": "virtual-service",
        "status": "pilot",
        "parties": [("service-canada", "lead", "government")],
        "sites": [("service-canada", "Happy Valley-Goose Bay"), ("service-canada", "Nain")],
        "communities": "Nain, Newfoundland and Labrador",
        "practices": ["local-facilitator-interpreter"],
    },
    {
        "key": "saint-leonard-virtual-agent",
        "title_en": "Virtual agent at the Saint-Léonard Service Canada Centre",
        "title_fr": "Agent virtuel au Centre Service Canada de Saint-Léonard",
        "summary_en": (
            "A virtual agent pilot serving walk-in clients at the busy Saint-Léonard (Montréal) "
            "Service Canada Centre."
        ),
        "summary_fr": (
            "Un projet pilote d’agent virtuel pour les clients sans rendez-vous du très "
            "fréquenté Centre Service Canada de Saint-Léonard (Montréal)."
        ),
        "type": "virtual-service",
        "status": "pilot",
        "parties": [("service-canada", "lead", "government")],
        "sites": [("service-canada", "Saint-Léonard")],
        "communities": "Saint-Léonard, Montréal, Quebec",
        "practices": [],
    },
    {
        "key": "gnwt-one-stop",
        "title_en": (
            "One-stop service: Service Canada and the Government of the Northwest Territories"
        ),
        "title_fr": (
            "Guichet unique : Service Canada et le gouvernement des Territoires du Nord-Ouest"
        ),
        "summary_en": (
            "Service Canada and the GNWT deliver in-person services to individuals and "
            "Indigenous communities through GNWT staff and facilities."
        ),
        "summary_fr": (
            "Service Canada et le GTNO offrent des services en personne aux particuliers et aux "
            "communautés autochtones par le personnel et les locaux du GTNO."
        ),
        "type": "hosted-outreach",
        "status": "in_operation",
        "parties": [
            ("service-canada", "partner", "government"),
            ("gnwt", "host", "government"),
        ],
        "sites": [("gnwt", "Yellowknife")],
        "communities": (
            "Northwest Territories\nIndigenous communities of the Northwest Territories"
        ),
        "practices": ["shared-staff"],
    },
    {
        "key": "ontario-sin-at-arrival",
        "title_en": "SIN at arrival for newcomers (Ontario)",
        "title_fr": "NAS à l’arrivée pour les nouveaux arrivants (Ontario)",
        "summary_en": (
            "Newcomers with the right documents get their Social Insurance Number and "
            "information on provincial services before leaving the airport."
        ),
        "summary_fr": (
            "Les nouveaux arrivants munis des bons documents obtiennent leur numéro "
            "d’assurance sociale et de l’information sur les services provinciaux avant de "
            "quitter l’aéroport."
        ),
        "type": "integrated-services",
        "status": "pilot",
        "parties": [
            ("service-canada", "lead", "government"),
            ("serviceontario", "partner", "government"),
        ],
        "sites": [],
        "communities": "Newcomers arriving at Toronto Pearson International Airport",
        "practices": [],
    },
]
