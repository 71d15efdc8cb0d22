"""The partnership questionnaire written for the council (nine sections, EN/FR) and the
pre-test's findings as interview themes: the content `surveys.seed` loads."""

import re

_FR_SPACE = re.compile(r" ([?:;!»])")


def fr(text):
    """French typography: a narrow no-break space before ? : ; ! » and after «, curly ’."""
    text = _FR_SPACE.sub("\u202f\\1", text.replace("'", "’"))
    return text.replace("« ", "«\u202f")


TYPES = [
    ("co-location", "Co-location (shared office)", "Colocation (bureau partagé)"),
    ("cross-promotion", "Cross-promotion of services", "Promotion croisée des services"),
    ("joint-outreach", "Joint outreach", "Services mobiles conjoints"),
    ("hosted-outreach", "Hosted outreach", "Services mobiles hébergés"),
    ("integrated-services", "Integrated services", "Services intégrés"),
    ("digital-collaboration", "Digital collaboration", "Collaboration numérique"),
    ("virtual-service", "Virtual service (kiosk, video)", "Service virtuel (borne, vidéo)"),
]
STAGES = [
    ("running", "Running now", "En cours"),
    ("planned", "Planned", "Prévu"),
    ("considered", "Being considered", "À l'étude"),
    ("none", "Not considered", "Non envisagé"),
]
AGREEMENT = [
    ("1", "Strongly disagree", "Pas du tout d'accord"),
    ("2", "Disagree", "Plutôt pas d'accord"),
    ("3", "Neither agree nor disagree", "Ni d'accord ni pas d'accord"),
    ("4", "Agree", "Plutôt d'accord"),
    ("5", "Strongly agree", "Tout à fait d'accord"),
]
READINESS = [
    ("1", "Not ready", "Pas prêt"),
    ("2", "Slightly ready", "Peu prêt"),
    ("3", "Somewhat ready", "Moyennement prêt"),
    ("4", "Mostly ready", "Plutôt prêt"),
    ("5", "Fully ready", "Tout à fait prêt"),
]
STANDARD_STATUS = [
    ("common", "A common standard exists", "Une norme commune existe"),
    ("partial", "Partly, or only locally", "En partie, ou seulement localement"),
    ("missing", "No common standard", "Aucune norme commune"),
    ("unknown", "Don't know", "Je ne sais pas"),
]


def q(
    code,
    kind,
    en,
    fr_text,
    *,
    required=False,
    help_en="",
    help_fr="",
    choices=(),
    rows=(),
    other=False,
    min_value=None,
    max_value=None,
    show_if=None,
):
    return {
        "code": code,
        "kind": kind,
        "text_en": en,
        "text_fr": fr(fr_text),
        "help_en": help_en,
        "help_fr": fr(help_fr),
        "required": required,
        "choices": choices,
        "rows": rows,
        "allows_other": other,
        "min_value": min_value,
        "max_value": max_value,
        "show_if": show_if,
    }


SECTIONS = [
    {
        "title_en": "About your organization",
        "title_fr": "Votre organisation",
        "intro_en": "A few questions about you and the offices your organization runs.",
        "intro_fr": "Quelques questions sur vous et sur les bureaux de votre organisation.",
        "questions": [
            q(
                "respondent_role",
                "short_text",
                "What is your role in your organization?",
                "Quel est votre rôle dans votre organisation ?",
                required=True,
                help_en="For example: director, service delivery.",
                help_fr="Par exemple : directrice, prestation des services.",
            ),
            q(
                "in_person_offices",
                "number",
                "How many in-person service offices does your organization run?",
                "Combien de bureaux de service en personne votre organisation exploite-t-elle ?",
                required=True,
                min_value=0,
                max_value=5000,
            ),
            q(
                "service_model",
                "single",
                "How do most of your clients reach your organization?",
                "Comment la plupart de vos clients joignent-ils votre organisation ?",
                choices=[
                    ("in_person", "In person", "En personne"),
                    ("phone", "By telephone", "Par téléphone"),
                    ("online", "Online", "En ligne"),
                    ("mixed", "No single channel dominates", "Aucun mode ne domine"),
                ],
            ),
            q(
                "shares_office",
                "yes_no",
                "Does your organization share at least one office with another jurisdiction?",
                "Votre organisation partage-t-elle au moins un bureau avec une autre "
                "administration ?",
                required=True,
            ),
        ],
    },
    {
        "title_en": "Partnership types",
        "title_fr": "Types de partenariats",
        "intro_en": "The kinds of service partnership your organization runs or plans.",
        "intro_fr": "Les types de partenariats de service que votre organisation mène ou prévoit.",
        "questions": [
            q(
                "types",
                "grid",
                "For each type of partnership, where does your organization stand?",
                "Pour chaque type de partenariat, où en est votre organisation ?",
                required=True,
                rows=[(code, en, fr_label) for code, en, fr_label in TYPES],
                choices=STAGES,
            ),
            q(
                "partnership_count",
                "number",
                "How many service partnerships with other jurisdictions does your organization "
                "run today?",
                "Combien de partenariats de service avec d'autres administrations votre "
                "organisation mène-t-elle aujourd'hui ?",
                min_value=0,
                max_value=1000,
            ),
        ],
    },
    {
        "title_en": "What drives and blocks partnerships",
        "title_fr": "Ce qui favorise et ce qui freine les partenariats",
        "questions": [
            q(
                "drivers",
                "multiple",
                "What drives your organization's partnerships?",
                "Qu'est-ce qui motive les partenariats de votre organisation ?",
                required=True,
                help_en="Tick every one that applies.",
                help_fr="Cochez tout ce qui s'applique.",
                other=True,
                choices=[
                    (
                        "one_stop",
                        "Clients want one place for several services",
                        "Les clients veulent un seul endroit pour plusieurs services",
                    ),
                    (
                        "reach",
                        "Reaching rural, remote or Indigenous communities",
                        "Joindre les collectivités rurales, éloignées ou autochtones",
                    ),
                    (
                        "cost",
                        "Lower costs (shared rent, staff, equipment)",
                        "Réduire les coûts (loyer, personnel, équipement partagés)",
                    ),
                    (
                        "direction",
                        "Political or government direction",
                        "Orientation politique ou gouvernementale",
                    ),
                    (
                        "closures",
                        "Office closures or consolidation",
                        "Fermetures ou regroupements de bureaux",
                    ),
                    ("digital", "Moving services online", "Le passage des services en ligne"),
                ],
            ),
            q(
                "blockers",
                "multiple",
                "What blocks or slows them?",
                "Qu'est-ce qui les freine ou les ralentit ?",
                required=True,
                help_en="Tick every one that applies.",
                help_fr="Cochez tout ce qui s'applique.",
                other=True,
                choices=[
                    (
                        "funding",
                        "Funding and cost sharing",
                        "Le financement et le partage des coûts",
                    ),
                    ("hours", "Different opening hours", "Des heures d'ouverture différentes"),
                    (
                        "ohs",
                        "Different occupational health and safety rules",
                        "Des règles de santé et sécurité au travail différentes",
                    ),
                    (
                        "it",
                        "Information technology and security",
                        "Les technologies de l'information et la sécurité",
                    ),
                    (
                        "privacy",
                        "Privacy and information sharing",
                        "La protection des renseignements personnels et leur partage",
                    ),
                    (
                        "labour",
                        "Collective agreements and staffing",
                        "Les conventions collectives et la dotation",
                    ),
                    ("accountability", "Accountability and reporting", "La reddition de comptes"),
                    ("branding", "Branding and signage", "L'image de marque et la signalisation"),
                ],
            ),
            q(
                "ease",
                "likert",
                "Setting up a partnership with another jurisdiction is easy.",
                "Établir un partenariat avec une autre administration est facile.",
                choices=AGREEMENT,
            ),
        ],
    },
    {
        "title_en": "Shared offices",
        "title_fr": "Bureaux partagés",
        "intro_en": "Only for organizations that share an office with another jurisdiction.",
        "intro_fr": "Seulement pour les organisations qui partagent un bureau avec une autre "
        "administration.",
        "questions": [
            q(
                "practices",
                "multiple",
                "Which practices do your shared offices use?",
                "Quelles pratiques vos bureaux partagés utilisent-ils ?",
                required=True,
                other=True,
                show_if=("shares_office", ["yes"]),
                choices=[
                    ("adjoining_counters", "Adjoining counters", "Comptoirs adjacents"),
                    ("shared_counter", "One shared counter", "Un comptoir commun"),
                    ("shared_waiting", "Shared waiting area", "Salle d'attente commune"),
                    ("shared_self_serve", "Shared self-serve area", "Espace libre-service commun"),
                    ("harmonised_hours", "Harmonised hours", "Heures harmonisées"),
                    ("single_entrance", "A single entrance", "Une seule entrée"),
                    ("joint_signage", "Joint signage", "Signalisation commune"),
                    ("joint_queueing", "Joint queueing", "File d'attente commune"),
                    ("kiosk", "Self-serve kiosk", "Borne libre-service"),
                    (
                        "facilitator",
                        "Local facilitator or interpreter",
                        "Facilitateur ou interprète local",
                    ),
                ],
            ),
            q(
                "staff_understand",
                "likert",
                "Local staff understand the agreement their shared office works under.",
                "Le personnel local comprend l'entente qui régit son bureau partagé.",
                show_if=("shares_office", ["yes"]),
                choices=AGREEMENT,
            ),
            q(
                "shared_office_lessons",
                "long_text",
                "What made your shared offices work, or not?",
                "Qu'est-ce qui a fait réussir, ou échouer, vos bureaux partagés ?",
                show_if=("shares_office", ["yes"]),
            ),
        ],
    },
    {
        "title_en": "Missing standards",
        "title_fr": "Normes manquantes",
        "questions": [
            q(
                "standards",
                "grid",
                "Between your organization and its partners, are there common standards for…",
                "Entre votre organisation et ses partenaires, existe-t-il des normes communes "
                "pour…",
                required=True,
                choices=STANDARD_STATUS,
                rows=[
                    ("hours", "Opening hours", "Les heures d'ouverture"),
                    (
                        "ohs",
                        "Occupational health and safety",
                        "La santé et la sécurité au travail",
                    ),
                    (
                        "security",
                        "Security of staff and offices",
                        "La sécurité du personnel et des bureaux",
                    ),
                    (
                        "service_standards",
                        "Service standards (wait times)",
                        "Les normes de service (délais d'attente)",
                    ),
                    (
                        "privacy",
                        "Privacy and information sharing",
                        "La protection et le partage des renseignements",
                    ),
                    ("training", "Staff training", "La formation du personnel"),
                ],
            ),
            q(
                "national_guidelines",
                "likert",
                "National guidelines are needed where common standards do not exist.",
                "Des lignes directrices nationales sont nécessaires là où il n'existe pas de "
                "normes communes.",
                required=True,
                choices=AGREEMENT,
            ),
            q(
                "standards_needed",
                "long_text",
                "Which standards are most needed, and why?",
                "Quelles normes sont les plus nécessaires, et pourquoi ?",
            ),
        ],
    },
    {
        "title_en": "Readiness",
        "title_fr": "État de préparation",
        "questions": [
            q(
                "readiness",
                "grid",
                "How ready is your organization on each of these factors?",
                "Dans quelle mesure votre organisation est-elle prête sur chacun de ces "
                "facteurs ?",
                required=True,
                choices=READINESS,
                rows=[
                    ("political_will", "Political will", "Volonté politique"),
                    (
                        "organisational",
                        "Organisational readiness",
                        "Préparation organisationnelle",
                    ),
                    ("resources", "Resources and tools", "Ressources et outils"),
                    (
                        "client_drivers",
                        "Client drivers (demand from clients)",
                        "Attentes des clients",
                    ),
                ],
            ),
            q(
                "next_start",
                "date",
                "If a partner were found, from what date could your organization begin a new "
                "partnership?",
                "Si un partenaire était trouvé, à partir de quelle date votre organisation "
                "pourrait-elle commencer un nouveau partenariat ?",
                help_en="Leave empty if not known.",
                help_fr="Laissez vide si vous l'ignorez.",
            ),
        ],
    },
    {
        "title_en": "Rapid response",
        "title_fr": "Intervention rapide",
        "questions": [
            q(
                "rapid_response",
                "yes_no",
                "Does your organization have partnership arrangements for rapid response, such as "
                "mass layoffs or emergencies?",
                "Votre organisation a-t-elle des ententes de partenariat pour intervenir "
                "rapidement, par exemple lors de licenciements massifs ou de situations "
                "d'urgence ?",
                required=True,
            ),
            q(
                "rapid_response_needs",
                "long_text",
                "What would your organization need to respond quickly with partners?",
                "De quoi votre organisation aurait-elle besoin pour intervenir rapidement avec "
                "des partenaires ?",
            ),
        ],
    },
    {
        "title_en": "Your rapid-response arrangements",
        "title_fr": "Vos ententes d'intervention rapide",
        "questions": [
            q(
                "rapid_response_situations",
                "multiple",
                "Which situations do they cover?",
                "Quelles situations couvrent-elles ?",
                required=True,
                other=True,
                show_if=("rapid_response", ["yes"]),
                choices=[
                    (
                        "mass_layoffs",
                        "Mass layoffs and plant closures",
                        "Licenciements massifs et fermetures d'usines",
                    ),
                    (
                        "natural_disasters",
                        "Floods, fires and other natural disasters",
                        "Inondations, feux et autres catastrophes naturelles",
                    ),
                    ("public_health", "Public health emergencies", "Urgences de santé publique"),
                ],
            ),
            q(
                "rapid_response_written",
                "yes_no",
                "Are these arrangements written down as guidelines other jurisdictions could "
                "reuse?",
                "Ces ententes sont-elles consignées dans des lignes directrices que d'autres "
                "administrations pourraient réutiliser ?",
                show_if=("rapid_response", ["yes"]),
            ),
            q(
                "rapid_response_description",
                "long_text",
                "Describe them briefly.",
                "Décrivez-les brièvement.",
                show_if=("rapid_response", ["yes"]),
            ),
        ],
    },
    {
        "title_en": "Follow-up",
        "title_fr": "Suivi",
        "questions": [
            q(
                "interview_ok",
                "yes_no",
                "May the council contact you for a follow-up interview?",
                "Le conseil peut-il communiquer avec vous pour une entrevue de suivi ?",
                required=True,
            ),
            q(
                "comments",
                "long_text",
                "Anything else the partnership guide should say?",
                "Y a-t-il autre chose que le guide des partenariats devrait dire ?",
            ),
        ],
    },
]

THEMES = [
    {
        "code": "one-stop",
        "label_en": "Clients like the one-stop aspect of co-location",
        "label_fr": "Les clients apprécient le guichet unique qu'offre la colocation",
        "partnership_types": ["co-location", "integrated-services"],
    },
    {
        "code": "national-guidelines",
        "label_en": "National guidelines are needed where common standards do not exist, such "
        "as hours and occupational health and safety",
        "label_fr": "Des lignes directrices nationales sont nécessaires là où il n'existe pas de "
        "normes communes, comme les heures d'ouverture et la santé et sécurité au travail",
        "partnership_types": ["co-location", "hosted-outreach", "integrated-services"],
    },
    {
        "code": "staff-understand-agreement",
        "label_en": "Co-location succeeds when local staff understand the agreement",
        "label_fr": "La colocation réussit quand le personnel local comprend l'entente",
        "partnership_types": ["co-location"],
    },
    {
        "code": "rapid-response-guidelines",
        "label_en": "Some jurisdictions have rapid-response partnership guidelines (mass layoffs, "
        "emergencies) that could be replicated",
        "label_fr": "Certaines administrations ont des lignes directrices de partenariat "
        "d'intervention rapide (licenciements massifs, urgences) qui pourraient être reproduites",
        "partnership_types": ["joint-outreach", "hosted-outreach"],
    },
]
PRETEST = "Pre-test with ServiceOntario, Service New Brunswick and Service Canada"
