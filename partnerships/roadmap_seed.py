"""The roadmap's streams and the milestones of the council's deck, annex B (2015–2020), as
migration 0004 records them; statuses as the deck reported them in 2017."""

# code: (English, French)
STREAMS = {
    "mapping-tool": (
        "Understand our network: the mapping tool",
        "Comprendre notre réseau\u00a0: l’outil de cartographie",
    ),
    "strategic-pilots": ("Strategic pilots", "Projets pilotes stratégiques"),
    "partnership-guide": ("The partnership guide", "Le guide des partenariats"),
    "questionnaire": ("The questionnaire", "Le questionnaire"),
    "future-models": ("Future integrated service models", "Futurs modèles de services intégrés"),
}

# key: (stream, year, English, French, status, link)
MILESTONES = {
    "2015-data-collected": (
        "mapping-tool",
        2015,
        "Data collected through the council",
        "Données recueillies par l’intermédiaire du conseil",
        "done",
        "",
    ),
    "2016-proof-of-concept": (
        "mapping-tool",
        2016,
        "Proof of concept shared with jurisdictions",
        "Validation de principe communiquée aux administrations",
        "done",
        "",
    ),
    "2017-pilot-inventory": (
        "strategic-pilots",
        2017,
        "Inventory of innovative pilots",
        "Inventaire des projets pilotes novateurs",
        "in_progress",
        "/en/partnerships/",
    ),
    "2017-questionnaire-tested": (
        "questionnaire",
        2017,
        "Questionnaire tested with New Brunswick and Ontario",
        "Questionnaire mis à l’essai avec le Nouveau-Brunswick et l’Ontario",
        "in_progress",
        "",
    ),
    "2018-launch": (
        "mapping-tool",
        2018,
        "Launch with all jurisdictions",
        "Lancement avec toutes les administrations",
        "planned",
        "/en/map/",
    ),
    "2018-guide-drafted": (
        "partnership-guide",
        2018,
        "Guide drafted with the questionnaire's findings",
        "Guide rédigé à partir des constatations du questionnaire",
        "planned",
        "",
    ),
    "2020-model-of-best-practice": (
        "partnership-guide",
        2020,
        "Use the guide as the model of best practice (to 2020)",
        "Utiliser le guide comme modèle de pratiques exemplaires (jusqu’en 2020)",
        "planned",
        "",
    ),
    "2020-gradual-implementation": (
        "future-models",
        2020,
        "Gradual implementation (to 2020)",
        "Mise en œuvre progressive (jusqu’en 2020)",
        "planned",
        "",
    ),
}
