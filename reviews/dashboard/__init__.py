"""The editorial dashboard: the site's state at a glance for editors and clinical reviewers.

- ``metrics``: the numbers (selectors taking the moment they report on).
- ``charts``: server-drawn SVG bar charts.
- ``review_log``: the review log as CSV rows, safe to open in a spreadsheet.
- ``views``: the admin pages (routed by ``mbc_cms.admin_site``).
"""
