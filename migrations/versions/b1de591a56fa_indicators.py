"""Evaluation: a programme's indicators (baseline, target, measure) and the values entered for them

Revision ID: b1de591a56fa
Revises: 936c6c8d3539
Create Date: 2026-12-06 13:12:08.735691

"""
from alembic import op
import sqlalchemy as sa

import elearn.database


# revision identifiers, used by Alembic.
revision = 'b1de591a56fa'
down_revision = '936c6c8d3539'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('measure', sa.Enum('participants', 'participant_days', 'women_share', 'opposition_share', 'satisfaction', 'learning_gain', 'commitments_on_time', 'days_to_decision', 'manual', name='indicator_measure', native_enum=False, length=32), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline_value', sa.Double(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Double(), nullable=False),
    sa.Column('direction', sa.Enum('higher', 'lower', name='indicator_direction', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_indicator_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_programme_id'), ['programme_id'], unique=False)

    op.create_table('indicator_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_indicator_value_period_in_order')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['person.id'], name=op.f('fk_indicator_value_entered_by_id_person')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_value_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
    sa.UniqueConstraint('indicator_id', 'period_start', 'period_end', name='uq_indicator_value_period')
    )
    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_value_entered_by_id'), ['entered_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_value_indicator_id'), ['indicator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_value_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_value_entered_by_id'))

    op.drop_table('indicator_value')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_programme_id'))

    op.drop_table('indicator')
