//! Empty: the corpus is the dependency list.
