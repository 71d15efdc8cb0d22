"""The indicator catalogue (issue 12): how each indicator is found in a Census Profile, and
the indicators the council asked for, seeded with their names, units, sources and licences.

Profile names are Statistics Canada's own, checked against the 2016 Census Profile of health
regions (98-401-X2016058) and the 2021 Census Profile's characteristic list (98-401-X2021006):
where 2021 respells a name (households → household) both spellings are listed.
"""

from django.db import migrations, models

CENSUS = "Statistics Canada, Census of Population"
LICENCE = "Statistics Canada Open Licence"
PROFILE_URL = "https://www12.statcan.gc.ca/census-recensement/2021/dp-pd/prof/index.cfm"
ISED = "Innovation, Science and Economic Development Canada, National Broadband Data"
OGL = "Open Government Licence – Canada"
BROADBAND_URL = "https://open.canada.ca/data/en/dataset/00a331db-121b-445d-b119-35dbbe3eedd9"
AGE_2016 = "Total - Age groups and average age of the population - 100% data"
AGE_2021 = "Total - Age groups of the population - 100% data"
SCHOOLING = (
    "Total - Highest certificate, diploma or degree for the population aged 25 to 64 years "
    "in private households - 25% sample data"
)

# code, unit, name EN, name FR, profile names, profile heading, share of heading,
# source, licence, address, description EN, description FR
INDICATORS = [
    (
        "population",
        "count",
        "Population",
        "Population",
        "Population, {year}",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "total_private_dwellings",
        "count",
        "Total private dwellings",
        "Total des logements privés",
        "Total private dwellings",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "occupied_private_dwellings",
        "count",
        "Private dwellings occupied by usual residents",
        "Logements privés occupés par des résidents habituels",
        "Private dwellings occupied by usual residents",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "population_density",
        "density",
        "Population density",
        "Densité de la population",
        "Population density per square kilometre",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "median_income_individuals",
        "dollars",
        "Median total income of individuals",
        "Revenu total médian des particuliers",
        "Median total income in {income_year} among recipients ($)",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "Median total income of people aged 15 and over who had income, in the year before "
        "the census.",
        "Revenu total médian des personnes de 15 ans et plus ayant un revenu, l’année "
        "précédant le recensement.",
    ),
    (
        "median_income_households",
        "dollars",
        "Median total income of households",
        "Revenu total médian des ménages",
        "Median total income of households in {income_year} ($)\n"
        "Median total income of household in {income_year} ($)",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "participation_rate",
        "percent",
        "Participation rate",
        "Taux d’activité",
        "Participation rate",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "employment_rate",
        "percent",
        "Employment rate",
        "Taux d’emploi",
        "Employment rate",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "unemployment_rate",
        "percent",
        "Unemployment rate",
        "Taux de chômage",
        "Unemployment rate",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "seniors_share",
        "percent",
        "Population aged 65 and over (share)",
        "Population âgée de 65 ans et plus (proportion)",
        "65 years and over",
        AGE_2016 + "\n" + AGE_2021,
        True,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "low_income_share",
        "percent",
        "Low income, after tax (LIM-AT, share)",
        "Faible revenu après impôt (MFR-ApI, proportion)",
        "Prevalence of low income based on the Low-income measure, after tax (LIM-AT) (%)",
        "",
        False,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "no_diploma_share",
        "percent",
        "Aged 25 to 64 with no certificate, diploma or degree (share)",
        "25 à 64 ans sans certificat, diplôme ni grade (proportion)",
        "No certificate, diploma or degree",
        SCHOOLING,
        True,
        CENSUS,
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
    (
        "households_without_broadband",
        "percent",
        "Households without broadband at 50/10 Mbps (share)",
        "Ménages sans large bande à 50/10 Mbit/s (proportion)",
        "",
        "",
        False,
        ISED,
        OGL,
        BROADBAND_URL,
        "Share of households without access to 50 Mbps download and 10 Mbps upload, "
        "Canada's national target speed.",
        "Proportion des ménages sans accès à 50 Mbit/s en téléchargement et 10 Mbit/s en "
        "téléversement, la vitesse cible nationale.",
    ),
    (
        "communities_without_hct",
        "count",
        "Communities without high-capacity transport",
        "Collectivités sans transport à haute capacité",
        "",
        "",
        False,
        ISED,
        OGL,
        BROADBAND_URL,
        "Communities of the area whose Internet reaches the backbone only by satellite or "
        "low-capacity links (ISED's list of communities without high-capacity transport).",
        "Collectivités de la zone dont Internet n’atteint le réseau dorsal que par satellite "
        "ou par des liens à faible capacité (liste d’ISDE).",
    ),
    (
        "digital_vulnerability_index",
        "index",
        "Digital vulnerability index",
        "Indice de vulnérabilité numérique",
        "",
        "",
        False,
        "Service Network Map, computed from its components (see docs/digital-vulnerability.md)",
        LICENCE,
        PROFILE_URL,
        "",
        "",
    ),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("layers", "Indicator")
    for (
        code,
        unit,
        name_en,
        name_fr,
        names,
        section,
        share,
        source,
        licence,
        url,
        description_en,
        description_fr,
    ) in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "unit": unit,
                "name_en": name_en,
                "name_fr": name_fr,
                "profile_names": names,
                "profile_section": section,
                "profile_share": share,
                "source": source,
                "licence": licence,
                "source_url": url,
                "description_en": description_en,
                "description_fr": description_fr,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("layers", "Indicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0002_data_version_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="profile_names",
            field=models.TextField(
                blank=True,
                help_text="The characteristic's name in a Census Profile file, one spelling per line; {year} stands for the census year and {income_year} for the year before. Empty: not read from Census Profiles.",
                verbose_name="Census Profile characteristic",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="profile_section",
            field=models.TextField(
                blank=True,
                help_text="Only the characteristic listed under this heading (one spelling per line), when its name occurs more than once in a profile.",
                verbose_name="Census Profile heading",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="profile_share",
            field=models.BooleanField(
                default=False,
                help_text="Keep the value as a percentage of the heading's own count.",
                verbose_name="share of the heading",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
