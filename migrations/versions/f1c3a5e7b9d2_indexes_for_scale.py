"""indexes for a large platform: people by name, name and email search, activities by end

person(full_name, id) serves the people admin's order at any page; on PostgreSQL,
trigram (pg_trgm) GIN indexes on person.full_name and person.email serve the
search of a part of a name or an email; activity(ends_at) serves the listings of
activities not yet over.

Revision ID: f1c3a5e7b9d2
Revises: e5b1c9d3a7f2
Create Date: 2026-12-06 09:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f1c3a5e7b9d2'
down_revision = 'e5b1c9d3a7f2'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    op.create_index('ix_person_full_name_id', 'person', ['full_name', 'id'])
    op.create_index('ix_activity_ends_at', 'activity', ['ends_at'])
    if _postgresql():
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.create_index('ix_person_full_name_trgm', 'person', ['full_name'], postgresql_using='gin',
                        postgresql_ops={'full_name': 'gin_trgm_ops'})
        op.create_index('ix_person_email_trgm', 'person', ['email'], postgresql_using='gin',
                        postgresql_ops={'email': 'gin_trgm_ops'})


def downgrade():
    if _postgresql():
        op.drop_index('ix_person_email_trgm', table_name='person')
        op.drop_index('ix_person_full_name_trgm', table_name='person')
    op.drop_index('ix_activity_ends_at', table_name='activity')
    op.drop_index('ix_person_full_name_id', table_name='person')
