"""The seven partnership types and the eight practices of the council's 2017 deck (seeded by
migration 0002; admins may add more)."""

# code: (English, French, description EN, description FR)
TYPES = {
    "co-location": (
        "Co-location",
        "Cohabitation",
        "Two or more organizations serve the public from one office.",
        "Deux organisations ou plus servent le public dans un même bureau.",
    ),
    "cross-promotion": (
        "Cross-promotion",
        "Promotion croisée",
        "Each partner tells its clients about the other's services.",
        "Chaque partenaire fait connaître à ses clients les services de l’autre.",
    ),
    "joint-outreach": (
        "Joint outreach",
        "Services d’approche conjoints",
        "Partners visit communities together.",
        "Les partenaires se rendent ensemble dans les collectivités.",
    ),
    "hosted-outreach": (
        "Hosted outreach",
        "Services d’approche hébergés",
        "One partner hosts the other's outreach in its offices or staff.",
        "Un partenaire accueille dans ses bureaux les services d’approche de l’autre.",
    ),
    "integrated-services": (
        "Integrated services",
        "Services intégrés",
        "One partner delivers the other's services on its behalf.",
        "Un partenaire offre les services de l’autre en son nom.",
    ),
    "digital-collaboration": (
        "Digital collaboration",
        "Collaboration numérique",
        "Shared online services, applications or kiosks.",
        "Services en ligne, applications ou bornes partagés.",
    ),
    "virtual-service": (
        "Virtual service",
        "Service virtuel",
        "Service at a distance by video or a virtual agent.",
        "Service à distance par vidéo ou par agent virtuel.",
    ),
}

PRACTICES = {
    "adjoining-counters": ("Adjoining counter design", "Comptoirs adjacents"),
    "shared-waiting-self-serve": (
        "Shared waiting and self-serve areas",
        "Aires d’attente et libre-service partagées",
    ),
    "harmonised-hours": ("Harmonised hours", "Heures harmonisées"),
    "single-entrance": ("A single entrance", "Entrée unique"),
    "joint-signage-queueing": (
        "Joint signage and queueing systems",
        "Signalisation et gestion des files d’attente communes",
    ),
    "interactive-kiosk": ("Interactive kiosk", "Borne interactive"),
    "local-facilitator-interpreter": (
        "Local facilitator or interpreter",
        "Facilitateur ou interprète local",
    ),
    "shared-staff": ("Shared staff", "Personnel partagé"),
}
