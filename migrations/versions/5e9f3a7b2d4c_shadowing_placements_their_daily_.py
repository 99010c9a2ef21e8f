"""Shadowing placements, their daily programme and reports.

Revision ID: 5e9f3a7b2d4c
Revises: 15c03c180c76
Create Date: 2026-12-06 19:28:14.334666

"""
import sqlalchemy as sa
from alembic import op

import elearn.database

# revision identifiers, used by Alembic.
revision = '5e9f3a7b2d4c'
down_revision = '15c03c180c76'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('tutor_id', sa.Integer(), nullable=False),
    sa.Column('host_parliament_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('planned', 'under_way', 'completed', 'cancelled', name='placement_status', native_enum=False, length=32), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_placement_period')),
    sa.CheckConstraint('person_id != tutor_id', name=op.f('ck_placement_two_people')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_placement_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_placement_created_by_id_person')),
    sa.ForeignKeyConstraint(['host_parliament_id'], ['parliament.id'], name=op.f('fk_placement_host_parliament_id_parliament')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_placement_person_id_person')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_placement_programme_id_programme')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_placement_topic_id_topic')),
    sa.ForeignKeyConstraint(['tutor_id'], ['person.id'], name=op.f('fk_placement_tutor_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement'))
    )
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_host_parliament_id'), ['host_parliament_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index('ix_placement_status_starts', ['status', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_tutor_id'), ['tutor_id'], unique=False)

    op.create_table('placement_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('tutor', 'placed', name='placement_report_side', native_enum=False, length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('what_was_done', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('submitted_at', elearn.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_placement_report_author_id_person')),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_placement_report_placement_id_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_report')),
    sa.UniqueConstraint('placement_id', 'side', name='uq_placement_report_side')
    )
    with op.batch_alter_table('placement_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_report_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_report_placement_id'), ['placement_id'], unique=False)

    op.create_table('placement_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('part', sa.Enum('day', 'morning', 'afternoon', name='day_part', native_enum=False, length=32), nullable=False),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('with_whom', sa.String(length=200), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_placement_entry_agenda_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_placement_entry_placement_id_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_entry')),
    sa.UniqueConstraint('placement_id', 'day', 'part', name='uq_placement_entry_slot')
    )
    with op.batch_alter_table('placement_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_entry_placement_id'), ['placement_id'], unique=False)



def downgrade():
    with op.batch_alter_table('placement_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_entry_placement_id'))

    op.drop_table('placement_entry')
    with op.batch_alter_table('placement_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_report_placement_id'))
        batch_op.drop_index(batch_op.f('ix_placement_report_author_id'))

    op.drop_table('placement_report')
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_tutor_id'))
        batch_op.drop_index('ix_placement_status_starts')
        batch_op.drop_index(batch_op.f('ix_placement_programme_id'))
        batch_op.drop_index(batch_op.f('ix_placement_person_id'))
        batch_op.drop_index(batch_op.f('ix_placement_host_parliament_id'))
        batch_op.drop_index(batch_op.f('ix_placement_activity_id'))

    op.drop_table('placement')
