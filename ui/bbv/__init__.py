"""Blood-borne virus testing: the person tab and its dialogs."""
