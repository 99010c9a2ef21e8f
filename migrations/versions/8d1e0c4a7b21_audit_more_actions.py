"""audit: role changes, failed sign-ins, refused pages and forms

The action column is a VARCHAR with a CHECK constraint listing the allowed
values; this revision widens the list. SQLite cannot alter a constraint in
place, so the table is rebuilt there (batch mode).

Revision ID: 8d1e0c4a7b21
Revises: 6ca5917531b0
Create Date: 2026-12-02 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d1e0c4a7b21'
down_revision = '6ca5917531b0'
branch_labels = None
depends_on = None

OLD_ACTIONS = ('political_side_read', 'political_side_changed')
NEW_ACTIONS = OLD_ACTIONS + ('role_changed', 'login_failed', 'access_refused', 'csrf_refused')


def _replace_check(values):
    allowed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table('audit_event', recreate='auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_event_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_event_audit_action'), f"action IN ({allowed})")


def upgrade():
    _replace_check(NEW_ACTIONS)


def downgrade():
    op.execute(sa.text("DELETE FROM audit_event WHERE action NOT IN ('political_side_read', 'political_side_changed')"))
    _replace_check(OLD_ACTIONS)
