package io.processhub.ignite.inspection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.ignite.spi.systemview.view.SystemViewRowAttributeWalker;

/**
 * The columns of a system view, each a name, a type and how to read it from a row: the walker Ignite's exporters
 * (SQL, JMX, control.sh) use to list a view's columns and read its rows. Ignite turns each camelCase name into an
 * upper-case SQL column ({@code childId} becomes {@code CHILD_ID}).
 */
public final class ViewColumns<R> implements SystemViewRowAttributeWalker<R> {
    private final List<Column<R, ?>> columns = new ArrayList<>();

    private static final class Column<R, T> {
        public final String name;
        public final Class<T> type;
        public final Function<R, T> value;

        public Column(String name, Class<T> type, Function<R, T> value) {
            this.name = name;
            this.type = type;
            this.value = value;
        }

        public void visit(int idx, R row, AttributeWithValueVisitor visitor) {
            visitor.accept(idx, name, type, value.apply(row));
        }
    }

    public <T> ViewColumns<R> add(String name, Class<T> type, Function<R, T> value) {
        columns.add(new Column<>(name, type, value));
        return this;
    }

    @Override
    public int count() {
        return columns.size();
    }

    @Override
    public void visitAll(AttributeVisitor visitor) {
        for (int i = 0; i < columns.size(); i++)
            visitor.accept(i, columns.get(i).name, columns.get(i).type);
    }

    @Override
    public void visitAll(R row, AttributeWithValueVisitor visitor) {
        for (int i = 0; i < columns.size(); i++)
            columns.get(i).visit(i, row, visitor);
    }
}
