//! Empty: the held-out set is the dependency list.
