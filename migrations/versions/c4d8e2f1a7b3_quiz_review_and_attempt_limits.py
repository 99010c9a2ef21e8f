"""quiz review policy, attempt limit and waiting time

Each quiz says what a learner sees after an attempt (review: score-only,
right-or-wrong or answers-once-passed), how many attempts are allowed
(max_attempts, null for no limit) and how many minutes must pass between two
attempts. Existing quizzes get the safe default: right answers shown only once
passed, no limit, no wait.

Revision ID: c4d8e2f1a7b3
Revises: b3f1c2d4e5a6
Create Date: 2026-12-06 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2f1a7b3'
down_revision = 'b3f1c2d4e5a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.Enum('score-only', 'right-or-wrong', 'answers-once-passed',
                                                        name='quiz_review', native_enum=False, create_constraint=False,
                                                        length=32),
                                      nullable=False, server_default='answers-once-passed'))
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('minutes_between_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(op.f('ck_quiz_max_attempts_positive'),
                                         'max_attempts IS NULL OR max_attempts >= 1')
        batch_op.create_check_constraint(op.f('ck_quiz_minutes_between_attempts_not_negative'),
                                         'minutes_between_attempts >= 0')


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quiz_minutes_between_attempts_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_quiz_max_attempts_positive'), type_='check')
        batch_op.drop_column('minutes_between_attempts')
        batch_op.drop_column('max_attempts')
        batch_op.drop_column('review')
