"""invitation letters: one row per letter issued for a visa application, at most one current per language

Revision ID: d3180fbb8015
Revises: c06ce532a8f5
Create Date: 2026-12-06 12:37:02.360279

"""
from alembic import op
import sqlalchemy as sa

import elearn.database


# revision identifiers, used by Alembic.
revision = 'd3180fbb8015'
down_revision = 'c06ce532a8f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('issued_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', elearn.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('holder_position', sa.String(length=200), nullable=False),
    sa.Column('parliament_name', sa.String(length=200), nullable=False),
    sa.Column('activity_title', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('travel_paid_by', sa.Enum('host_parliament', 'ministry', 'programme', 'partner_parliament', 'self', name='payer', native_enum=False, length=32), nullable=False),
    sa.Column('stay_paid_by', sa.Enum('host_parliament', 'ministry', 'programme', 'partner_parliament', 'self', name='payer', native_enum=False, length=32), nullable=False),
    sa.Column('funder_name', sa.String(length=300), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_invitation_letter_dates_in_order')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['person.id'], name=op.f('fk_invitation_letter_issued_by_id_person')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_invitation_letter_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_letter')),
    sa.UniqueConstraint('code', name=op.f('uq_invitation_letter_code'))
    )
    with op.batch_alter_table('invitation_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_letter_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('uq_invitation_letter_current', ['registration_id', 'language'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))



def downgrade():
    with op.batch_alter_table('invitation_letter', schema=None) as batch_op:
        batch_op.drop_index('uq_invitation_letter_current', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_invitation_letter_registration_id'))

    op.drop_table('invitation_letter')
