"""The opposition target in one place: on the programme and the activity (which overrides it).

The selection targets' own opposition share moves there: an activity's row to the activity, a
programme's row to the programme; the column is then dropped. Dropping is safe: every value is
copied first, and the downgrade copies them back (a row is added where an activity or programme had
only that target).

Revision ID: 8a608b67ceef
Revises: b1de591a56fa
Create Date: 2026-12-06 13:10:58.717656

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a608b67ceef'
down_revision = 'b1de591a56fa'
branch_labels = None
depends_on = None

IN_RANGE = "opposition_target_percent IS NULL OR (opposition_target_percent >= 0 AND opposition_target_percent <= 100)"
OLD_IN_RANGE = "opposition_min_percent IS NULL OR (opposition_min_percent >= 0 AND opposition_min_percent <= 100)"


def upgrade():
    for table in ('activity', 'programme'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('opposition_target_percent', sa.Integer(), nullable=True))
            batch_op.create_check_constraint(op.f(f'ck_{table}_opposition_target_in_range'), IN_RANGE)
        op.execute(f"UPDATE {table} SET opposition_target_percent = (SELECT opposition_min_percent "
                   f"FROM selection_target WHERE selection_target.{table}_id = {table}.id)")
    # A row that held nothing but the opposition share now holds nothing: the service removes such rows.
    op.execute("DELETE FROM selection_target WHERE women_min_percent IS NULL AND max_per_parliament IS NULL "
               "AND both_sides_required = false AND opposition_min_percent IS NOT NULL")
    with op.batch_alter_table('selection_target', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_selection_target_opposition_in_range'), type_='check')
        batch_op.drop_column('opposition_min_percent')


def downgrade():
    with op.batch_alter_table('selection_target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opposition_min_percent', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_selection_target_opposition_in_range'), OLD_IN_RANGE)
    for table in ('activity', 'programme'):
        other = 'programme' if table == 'activity' else 'activity'
        op.execute(f"INSERT INTO selection_target ({table}_id, {other}_id, both_sides_required) "
                   f"SELECT id, NULL, false FROM {table} WHERE opposition_target_percent IS NOT NULL "
                   f"AND id NOT IN (SELECT {table}_id FROM selection_target WHERE {table}_id IS NOT NULL)")
        op.execute(f"UPDATE selection_target SET opposition_min_percent = (SELECT opposition_target_percent "
                   f"FROM {table} WHERE {table}.id = selection_target.{table}_id) WHERE {table}_id IS NOT NULL")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_opposition_target_in_range'), type_='check')
            batch_op.drop_column('opposition_target_percent')
