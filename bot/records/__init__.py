"""Records: the register's columns, export and import, and retention with legal hold."""
