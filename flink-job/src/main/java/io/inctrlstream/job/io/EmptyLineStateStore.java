package io.inctrlstream.job.io;

/** {@link LineStateStore#empty()}: reads nothing. */
enum EmptyLineStateStore implements LineStateStore {
    INSTANCE;

    @Override
    public void readAll(Visitor visitor) {}

    @Override
    public String toString() {
        return "no line-state store";
    }
}
