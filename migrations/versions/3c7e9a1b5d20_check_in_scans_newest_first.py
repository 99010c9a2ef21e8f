"""check-in scans of an activity, newest first: (activity_id, id) in place of (activity_id)

The check-in page lists an activity's last scans, newest first; with the index on
activity_id alone the database sorts every scan of the activity each time.

Revision ID: 3c7e9a1b5d20
Revises: 095d3beff352
Create Date: 2026-12-07 07:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c7e9a1b5d20'
down_revision = '095d3beff352'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_check_in_scan_activity_id_id', 'check_in_scan', ['activity_id', 'id'])
    op.drop_index('ix_check_in_scan_activity_id', table_name='check_in_scan')


def downgrade():
    op.create_index('ix_check_in_scan_activity_id', 'check_in_scan', ['activity_id'])
    op.drop_index('ix_check_in_scan_activity_id_id', table_name='check_in_scan')
