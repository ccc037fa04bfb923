"""Pages of the work app: the three lists (``lists``), needs and resources (``needs``), projects
(``projects``)."""
