"""The alumni directory: who is listed, what each shows, their topics of interest.

Revision ID: 8bc26dae507f
Revises: 6fa04b8c3e5d
Create Date: 2026-12-06 19:29:16.756007

"""
import sqlalchemy as sa
from alembic import op

import elearn.database

# revision identifiers, used by Alembic.
revision = '8bc26dae507f'
down_revision = '6fa04b8c3e5d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alumni_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('show_parliament', sa.Boolean(), nullable=False),
    sa.Column('show_position', sa.Boolean(), nullable=False),
    sa.Column('show_topics', sa.Boolean(), nullable=False),
    sa.Column('show_activities', sa.Boolean(), nullable=False),
    sa.Column('show_bio', sa.Boolean(), nullable=False),
    sa.Column('show_email', sa.Boolean(), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('created_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_alumni_entry_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alumni_entry')),
    sa.UniqueConstraint('person_id', name=op.f('uq_alumni_entry_person_id'))
    )
    with op.batch_alter_table('alumni_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alumni_entry_listed'), ['listed'], unique=False)

    op.create_table('alumni_topic',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['alumni_entry.id'], name=op.f('fk_alumni_topic_entry_id_alumni_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_alumni_topic_topic_id_topic')),
    sa.PrimaryKeyConstraint('entry_id', 'topic_id', name=op.f('pk_alumni_topic'))
    )
    with op.batch_alter_table('alumni_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alumni_topic_topic_id'), ['topic_id'], unique=False)



def downgrade():
    with op.batch_alter_table('alumni_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_topic_topic_id'))

    op.drop_table('alumni_topic')
    with op.batch_alter_table('alumni_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_entry_listed'))

    op.drop_table('alumni_entry')
