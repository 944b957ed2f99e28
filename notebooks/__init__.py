"""Not a library: this file only gives ``notebooks/conftest.py`` a module name of its own.

Without it every ``conftest.py`` outside a package is imported as the module ``conftest``, and
``pytest --doctest-modules tests graphmodel notebooks`` then mistakes one for another.
"""
