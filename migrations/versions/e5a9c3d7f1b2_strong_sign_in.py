"""Strong sign-in: authenticator secrets, recovery codes and signed-in devices

Remember-me moves from Flask-Login's cookie to sign_in_device rows (bounded, rotated,
revocable); old remember-me cookies are refused and deleted at their next use.

Revision ID: e5a9c3d7f1b2
Revises: e5b2c7d9a1f3
Create Date: 2026-12-06 09:40:00

"""
import sqlalchemy as sa
from alembic import op

from elearn.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'e5a9c3d7f1b2'
down_revision = 'e5b2c7d9a1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'two_factor_credential',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_used_step', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_two_factor_credential_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_credential')),
        sa.UniqueConstraint('person_id', name=op.f('uq_two_factor_credential_person_id')),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_recovery_code_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_code_code_hash')),
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_person_id'), ['person_id'], unique=False)
    op.create_table(
        'sign_in_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('signed_in_until', UTCDateTime(timezone=True), nullable=True),
        sa.Column('session_key', sa.String(length=64), nullable=True),
        sa.Column('trusted_until', UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_sign_in_device_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_device')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_sign_in_device_secret_hash')),
    )
    with op.batch_alter_table('sign_in_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_device_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_device_person_id'))
    op.drop_table('sign_in_device')
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_person_id'))
    op.drop_table('recovery_code')
    op.drop_table('two_factor_credential')
