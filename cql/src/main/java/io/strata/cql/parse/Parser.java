package io.strata.cql.parse;

import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.ArithmeticOperator;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.Assignment;
import io.strata.cql.ast.Batch;
import io.strata.cql.ast.ColumnDefinition;
import io.strata.cql.ast.Condition;
import io.strata.cql.ast.CreateIndex;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.DeleteTarget;
import io.strata.cql.ast.Describe;
import io.strata.cql.ast.DropIndex;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.FieldDefinition;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.Ordering;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.ast.PropertyNumber;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Statement;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.Truncate;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Use;
import io.strata.cql.ast.RestoreTable;
import io.strata.cql.ast.Using;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recursive-descent parser over the {@link Lexer}'s tokens, one method per grammar rule. It stops at the
 * first error and reports it the way Cassandra does ("mismatched input 'x' expecting K_FROM" when one
 * token was required, "no viable alternative at input 'x'" when none of several alternatives starts
 * there), with the offending token's line:column and a short excerpt of the statement.
 *
 * <p>Backtracking is used only where CQL itself is ambiguous with one token of lookahead ({@code SELECT
 * JSON}/{@code DISTINCT}, which are also valid column names, and {@code (type) term} casts versus tuples).
 *
 * <p>Not thread-safe: one instance per statement, discarded after {@link #parseStatement()}.
 */
final class Parser {
    private final String source;
    private final List<Token> tokens;
    private final List<Term.BindMarker> markers = new ArrayList<>();
    private int pos;
    /** How deep terms, selectors and types are nested at the current position. */
    private int depth;

    /**
     * The deepest nesting of terms, selectors and types a statement may use ({@code [[[...]]]},
     * {@code frozen<list<...>>}, {@code ((a + b) * c)}); deeper statements are refused as syntax errors
     * instead of exhausting the stack.
     */
    static final int MAX_NESTING = 64;

    Parser(String source) {
        this.source = source;
        this.tokens = Lexer.tokenize(source);
    }

    ParsedStatement parseStatement() {
        Statement statement = statement();
        accept(TokenType.SEMICOLON);
        if (!peek().is(TokenType.EOF)) {
            throw mismatched(peek(), "EOF");
        }
        return new ParsedStatement(statement, markers);
    }

    // ---------------------------------------------------------------------------------------- statements

    private Statement statement() {
        Token t = peek();
        if (!t.is(TokenType.IDENT)) {
            throw noViable(t);
        }
        return switch (t.lower()) {
            case "select" -> select();
            case "insert" -> insert();
            case "update" -> update();
            case "delete" -> delete();
            case "begin" -> batch();
            case "use" -> use();
            case "truncate" -> truncate();
            case "create" -> create();
            case "drop" -> drop();
            case "alter" -> alter();
            case "describe", "desc" -> describe();
            case "restore" -> restore();
            default -> throw Keywords.UNSUPPORTED_STATEMENTS.contains(t.lower())
                    ? unsupported(t, t.text().toUpperCase(Locale.ROOT))
                    : noViable(t);
        };
    }

    private Use use() {
        expectKeyword("use");
        return new Use(keyspaceName());
    }

    private Truncate truncate() {
        expectKeyword("truncate");
        if (peek().isKeyword("table") || peek().isKeyword("columnfamily")) {
            next();
        }
        return new Truncate(tableName());
    }

    /** Keyspaces' {@code RESTORE TABLE target FROM TABLE source [WITH properties]}. */
    private RestoreTable restore() {
        expectKeyword("restore");
        expectKeyword("table");
        QualifiedName target = tableName();
        expectKeyword("from");
        expectKeyword("table");
        QualifiedName source = tableName();
        Map<String, Object> properties = Map.of();
        if (acceptKeyword("with")) {
            properties = properties();
        }
        return new RestoreTable(target, source, properties);
    }

    // ---------------------------------------------------------------------------------------- SELECT

    private Select select() {
        expectKeyword("select");
        // JSON and DISTINCT are also valid column names: they are modifiers only if a selection follows
        boolean json = peek().isKeyword("json")
                && (selectionThenFromAt(pos + 1) || (peek(1).isKeyword("distinct") && selectionThenFromAt(pos + 2)));
        if (json) {
            next();
        }
        boolean distinct = peek().isKeyword("distinct") && selectionThenFromAt(pos + 1);
        if (distinct) {
            next();
        }
        List<SelectItem> selection = new ArrayList<>();
        if (!accept(TokenType.STAR)) {
            selection.add(selectItem());
            while (accept(TokenType.COMMA)) {
                selection.add(selectItem());
            }
        }
        expectKeyword("from");
        QualifiedName table = tableName();
        List<Relation> where = List.of();
        if (acceptKeyword("where")) {
            where = whereClause();
        }
        List<String> groupBy = new ArrayList<>();
        if (peek().isKeyword("group") && peek(1).isKeyword("by")) {
            next();
            next();
            do {
                groupBy.add(columnName());
            } while (accept(TokenType.COMMA));
        }
        List<Ordering> orderBy = new ArrayList<>();
        if (acceptKeyword("order")) {
            expectKeyword("by");
            do {
                String column = columnName();
                boolean descending = false;
                if (acceptKeyword("desc")) {
                    descending = true;
                } else {
                    acceptKeyword("asc");
                }
                orderBy.add(new Ordering(column, descending));
            } while (accept(TokenType.COMMA));
        }
        Term perPartitionLimit = null;
        if (peek().isKeyword("per") && peek(1).isKeyword("partition")) {
            next();
            next();
            expectKeyword("limit");
            perPartitionLimit = intValue();
        }
        Term limit = null;
        if (acceptKeyword("limit")) {
            limit = intValue();
        }
        boolean allowFiltering = false;
        if (acceptKeyword("allow")) {
            expectKeyword("filtering");
            allowFiltering = true;
        }
        return new Select(table, json, distinct, selection, where, groupBy, orderBy, perPartitionLimit, limit,
                allowFiltering);
    }

    /** True if a selection followed by FROM parses at token {@code start}; the position is left unchanged. */
    private boolean selectionThenFromAt(int start) {
        int savedPos = pos;
        int savedMarkers = markers.size();
        try {
            pos = start;
            if (!accept(TokenType.STAR)) {
                selectItem();
                while (accept(TokenType.COMMA)) {
                    selectItem();
                }
            }
            return peek().isKeyword("from");
        } catch (CqlSyntaxException e) {
            return false;
        } finally {
            pos = savedPos;
            truncateMarkers(savedMarkers);
        }
    }

    private SelectItem selectItem() {
        Selector selector = selector();
        String alias = null;
        if (acceptKeyword("as")) {
            alias = identifier("alias");
        }
        return new SelectItem(selector, alias);
    }

    /** A selector with arithmetic: sums of products of operands, as Cassandra 4 parses them. */
    private Selector selector() {
        enter();
        try {
            Selector left = productSelector();
            while (peek().is(TokenType.PLUS) || peek().is(TokenType.MINUS) && !signedLiteralAt(pos)) {
                ArithmeticOperator op = next().is(TokenType.PLUS) ? ArithmeticOperator.ADD : ArithmeticOperator.SUBTRACT;
                left = new Selector.Operation(op, left, productSelector());
            }
            return left;
        } finally {
            leave();
        }
    }

    private Selector productSelector() {
        Selector left = unarySelector();
        while (true) {
            ArithmeticOperator op = productOperator(peek());
            if (op == null) {
                return left;
            }
            next();
            left = new Selector.Operation(op, left, unarySelector());
        }
    }

    private static ArithmeticOperator productOperator(Token t) {
        return t.is(TokenType.STAR) ? ArithmeticOperator.MULTIPLY : t.is(TokenType.SLASH) ? ArithmeticOperator.DIVIDE
                : t.is(TokenType.PERCENT) ? ArithmeticOperator.MODULO : null;
    }

    private Selector unarySelector() {
        if (peek().is(TokenType.MINUS) && peek(1).is(TokenType.LPAREN)) {
            next();
            Selector inner = parenthesizedSelector();
            return new Selector.Negation(inner instanceof Selector.Parenthesized p ? p.selector() : inner);
        }
        return selectorModifiers(selectorBase());
    }

    /** Field access ({@code .f}), element ({@code [k]}) and slice ({@code [a..b]}) selections. */
    private Selector selectorModifiers(Selector base) {
        Selector s = base;
        while (true) {
            if (accept(TokenType.DOT)) {
                s = new Selector.FieldAccess(s, identifier("field"));
            } else if (accept(TokenType.LBRACKET)) {
                if (accept(TokenType.RANGE)) {
                    s = new Selector.SliceAccess(s, null, term());
                } else {
                    Term first = term();
                    if (accept(TokenType.RANGE)) {
                        Term to = peek().is(TokenType.RBRACKET) ? null : term();
                        s = new Selector.SliceAccess(s, first, to);
                    } else {
                        s = new Selector.ElementAccess(s, first);
                    }
                }
                expect(TokenType.RBRACKET);
            } else {
                return s;
            }
        }
    }

    private Selector selectorBase() {
        Token t = peek();
        if (t.is(TokenType.IDENT) && peek(1).is(TokenType.LPAREN)) {
            switch (t.lower()) {
                case "count" -> {
                    if (peek(2).is(TokenType.STAR) && peek(3).is(TokenType.RPAREN)) {
                        pos += 4;
                        return new Selector.FunctionCall("count", List.of(Selector.Star.INSTANCE));
                    }
                }
                case "cast" -> {
                    pos += 2;
                    Selector inner = selector();
                    expectKeyword("as");
                    TypeRef type = nativeType();
                    expect(TokenType.RPAREN);
                    return new Selector.Cast(inner, type);
                }
                case "writetime", "maxwritetime", "ttl" -> {
                    pos += 2;
                    Selector column = selectorModifiers(new Selector.ColumnRef(columnName()));
                    expect(TokenType.RPAREN);
                    return new Selector.FunctionCall(t.lower(), List.of(column));
                }
                default -> {
                }
            }
        }
        if (functionCallFollows()) {
            FunctionName name = functionName();
            expect(TokenType.LPAREN);
            List<Selector> args = new ArrayList<>();
            if (!peek().is(TokenType.RPAREN)) {
                do {
                    args.add(selector());
                } while (accept(TokenType.COMMA));
            }
            expect(TokenType.RPAREN);
            return new Selector.FunctionCall(name.keyspace(), name.name(), args);
        }
        if (isIdentifier(t)) {
            return new Selector.ColumnRef(columnName());
        }
        if (t.is(TokenType.LPAREN)) {
            return parenthesizedSelector();
        }
        if (startsTermAt(pos)) {
            // Only the term itself: operators after it belong to the selector's arithmetic (precedence).
            return new Selector.TermSelector(simpleTerm());
        }
        throw noViable(t);
    }

    /** {@code (type) literal} (a type hint on a term), {@code (selector)}, or a tuple of terms. */
    private Selector parenthesizedSelector() {
        Term cast = tryCast();
        if (cast != null) {
            return new Selector.TermSelector(cast);
        }
        Token open = expect(TokenType.LPAREN);
        List<Selector> elements = new ArrayList<>();
        do {
            elements.add(selector());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
        if (elements.size() == 1) {
            return new Selector.Parenthesized(elements.get(0));
        }
        List<Term> terms = new ArrayList<>();
        for (Selector element : elements) {
            if (!(element instanceof Selector.TermSelector ts)) {
                throw error(open, "tuples of columns are not supported in a selection: only tuples of literals and bind markers");
            }
            terms.add(ts.term());
        }
        return new Selector.TermSelector(new Term.TupleLiteral(terms));
    }

    // ---------------------------------------------------------------------------------------- WHERE

    private List<Relation> whereClause() {
        List<Relation> relations = new ArrayList<>();
        do {
            relations.add(relation());
        } while (acceptKeyword("and"));
        return relations;
    }

    private Relation relation() {
        Token t = peek();
        if (t.isKeyword("token") && peek(1).is(TokenType.LPAREN)) {
            next();
            List<String> columns = tupleOfIdentifiers();
            Operator op = relationType();
            return new Relation.Token(columns, op, term());
        }
        if (t.is(TokenType.LPAREN)) {
            if (isIdentifier(peek(1)) && (peek(2).is(TokenType.COMMA) || peek(2).is(TokenType.RPAREN))) {
                return multiColumnRelation();
            }
            next();
            Relation inner = relation();
            expect(TokenType.RPAREN);
            return inner;
        }
        String column = columnName();
        if (accept(TokenType.LBRACKET)) {
            Term key = term();
            expect(TokenType.RBRACKET);
            Operator op = relationType();
            return new Relation.ElementOf(column, key, op, term());
        }
        Token op = peek();
        Operator comparison = comparison(op);
        if (comparison != null) {
            next();
            return new Relation.SingleColumn(column, comparison, term());
        }
        if (op.isKeyword("in")) {
            next();
            return new Relation.SingleColumn(column, Operator.IN, singleColumnInValues());
        }
        if (op.isKeyword("contains")) {
            next();
            Operator contains = acceptKeyword("key") ? Operator.CONTAINS_KEY : Operator.CONTAINS;
            return new Relation.SingleColumn(column, contains, term());
        }
        if (op.isKeyword("like")) {
            next();
            return new Relation.SingleColumn(column, Operator.LIKE, term());
        }
        if (op.isKeyword("is")) {
            next();
            expectKeyword("not");
            expectKeyword("null");
            return new Relation.SingleColumn(column, Operator.IS_NOT, Term.Literal.NULL);
        }
        throw noViable(op);
    }

    private Relation multiColumnRelation() {
        List<String> columns = tupleOfIdentifiers();
        if (acceptKeyword("in")) {
            return new Relation.MultiColumn(columns, Operator.IN, multiColumnInValues());
        }
        Operator op = relationType();
        return new Relation.MultiColumn(columns, op, multiColumnValue());
    }

    /** A tuple literal or a bind marker. */
    private Term multiColumnValue() {
        Token t = peek();
        if (t.is(TokenType.LPAREN)) {
            return tupleLiteral();
        }
        if (isMarkerStart(t)) {
            return marker();
        }
        throw noViable(t);
    }

    /** {@code ?}, {@code :name}, {@code ()}, {@code ((1, 2), (3, 4))} or {@code (?, ?)}. */
    private Term multiColumnInValues() {
        if (isMarkerStart(peek())) {
            return marker();
        }
        expect(TokenType.LPAREN);
        List<Term> values = new ArrayList<>();
        if (!accept(TokenType.RPAREN)) {
            do {
                values.add(multiColumnValue());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
        }
        return new Term.InValues(values);
    }

    /** {@code ?}, {@code :name}, or {@code (t1, t2, ...)} (possibly empty). */
    private Term singleColumnInValues() {
        if (isMarkerStart(peek())) {
            return marker();
        }
        expect(TokenType.LPAREN);
        List<Term> values = new ArrayList<>();
        if (!accept(TokenType.RPAREN)) {
            do {
                values.add(term());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
        }
        return new Term.InValues(values);
    }

    private List<String> tupleOfIdentifiers() {
        expect(TokenType.LPAREN);
        List<String> columns = new ArrayList<>();
        do {
            columns.add(columnName());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
        return columns;
    }

    private Operator relationType() {
        Operator op = comparison(peek());
        if (op == null) {
            throw noViable(peek());
        }
        next();
        return op;
    }

    private static Operator comparison(Token t) {
        return switch (t.type()) {
            case EQ -> Operator.EQ;
            case NEQ -> Operator.NEQ;
            case LT -> Operator.LT;
            case LTE -> Operator.LTE;
            case GT -> Operator.GT;
            case GTE -> Operator.GTE;
            default -> null;
        };
    }

    // ---------------------------------------------------------------------------------------- INSERT, UPDATE, DELETE, BATCH

    private Insert insert() {
        expectKeyword("insert");
        expectKeyword("into");
        QualifiedName table = tableName();
        List<String> columns = new ArrayList<>();
        List<Term> values = new ArrayList<>();
        Term json = null;
        boolean defaultUnset = false;
        if (acceptKeyword("json")) {
            Token t = peek();
            if (t.is(TokenType.STRING)) {
                next();
                json = new Term.Literal(Term.Literal.Kind.STRING, t.text());
            } else if (isMarkerStart(t)) {
                json = marker();
            } else {
                throw noViable(t);
            }
            if (acceptKeyword("default")) {
                if (acceptKeyword("unset")) {
                    defaultUnset = true;
                } else if (!acceptKeyword("null")) {
                    throw noViable(peek());
                }
            }
        } else {
            expect(TokenType.LPAREN);
            do {
                columns.add(columnName());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
            expectKeyword("values");
            expect(TokenType.LPAREN);
            do {
                values.add(term());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
            if (columns.size() != values.size()) {
                // Cassandra's grammar accepts this; its statement rejects it as an invalid request.
                throw new io.strata.cql.types.InvalidValueException("Unmatched column names/values: " + columns.size()
                        + " columns but " + values.size() + " values");
            }
        }
        boolean ifNotExists = ifNotExists();
        Using using = peek().isKeyword("using") ? using(true) : Using.NONE;
        return new Insert(table, columns, values, ifNotExists, using, json, defaultUnset);
    }

    private Update update() {
        expectKeyword("update");
        QualifiedName table = tableName();
        Using using = peek().isKeyword("using") ? using(true) : Using.NONE;
        expectKeyword("set");
        List<Assignment> assignments = new ArrayList<>();
        do {
            assignments.add(assignment());
        } while (accept(TokenType.COMMA));
        expectKeyword("where");
        List<Relation> where = whereClause();
        List<Condition> conditions = new ArrayList<>();
        boolean ifExists = conditions(conditions);
        return new Update(table, using, assignments, where, conditions, ifExists);
    }

    private Assignment assignment() {
        String column = columnName();
        if (accept(TokenType.LBRACKET)) {
            Term key = term();
            expect(TokenType.RBRACKET);
            expect(TokenType.EQ);
            return new Assignment.SetElement(column, key, term());
        }
        if (accept(TokenType.DOT)) {
            String field = identifier("field");
            expect(TokenType.EQ);
            return new Assignment.SetField(column, field, term());
        }
        if (accept(TokenType.PLUS_EQ)) {
            return new Assignment.Increment(column, term());
        }
        if (accept(TokenType.MINUS_EQ)) {
            return new Assignment.Decrement(column, term());
        }
        expect(TokenType.EQ);
        Token t = peek();
        if (isIdentifier(t) && (peek(1).is(TokenType.PLUS) || peek(1).is(TokenType.MINUS))) {
            // c = c + v / c = c - v: the only arithmetic CQL allows on the right of '='
            String other = columnName();
            boolean plus = next().is(TokenType.PLUS);
            if (!other.equals(column)) {
                throw error(t, "only expressions of the form X = X " + (plus ? '+' : '-')
                        + " <value> are supported");
            }
            Term value = term();
            return plus ? new Assignment.Increment(column, value) : new Assignment.Decrement(column, value);
        }
        Term value = term();
        if (accept(TokenType.PLUS)) {
            Token otherToken = peek();
            String other = columnName();
            if (!other.equals(column)) {
                throw error(otherToken, "only expressions of the form X = <value> + X are supported");
            }
            return new Assignment.Prepend(column, value);
        }
        return new Assignment.SetColumn(column, value);
    }

    private Delete delete() {
        expectKeyword("delete");
        List<DeleteTarget> targets = new ArrayList<>();
        if (!peek().isKeyword("from")) {
            do {
                targets.add(deleteTarget());
            } while (accept(TokenType.COMMA));
        }
        expectKeyword("from");
        QualifiedName table = tableName();
        Using using = peek().isKeyword("using") ? using(false) : Using.NONE;
        expectKeyword("where");
        List<Relation> where = whereClause();
        List<Condition> conditions = new ArrayList<>();
        boolean ifExists = conditions(conditions);
        return new Delete(table, targets, using, where, conditions, ifExists);
    }

    private DeleteTarget deleteTarget() {
        String column = columnName();
        if (accept(TokenType.LBRACKET)) {
            Term element = term();
            expect(TokenType.RBRACKET);
            return new DeleteTarget(column, element, null);
        }
        if (accept(TokenType.DOT)) {
            return new DeleteTarget(column, null, identifier("field"));
        }
        return new DeleteTarget(column, null, null);
    }

    /** Optional {@code IF EXISTS} (returns true) or {@code IF cond AND cond ...} (added to {@code out}). */
    private boolean conditions(List<Condition> out) {
        if (!acceptKeyword("if")) {
            return false;
        }
        // "exists" is also a valid column name: IF exists = 1 is a condition
        if (peek().isKeyword("exists") && !startsConditionOperator(peek(1))) {
            next();
            return true;
        }
        do {
            out.add(condition());
        } while (acceptKeyword("and"));
        return false;
    }

    private static boolean startsConditionOperator(Token t) {
        return comparison(t) != null || t.is(TokenType.LBRACKET) || t.is(TokenType.DOT) || t.isKeyword("in")
                || t.isKeyword("contains");
    }

    private Condition condition() {
        String column = columnName();
        Term element = null;
        String field = null;
        if (accept(TokenType.LBRACKET)) {
            element = term();
            expect(TokenType.RBRACKET);
        } else if (accept(TokenType.DOT)) {
            field = identifier("field");
        }
        Token t = peek();
        Operator op = comparison(t);
        if (op != null) {
            next();
            return new Condition(column, element, field, op, term());
        }
        if (t.isKeyword("in")) {
            next();
            return new Condition(column, element, field, Operator.IN, singleColumnInValues());
        }
        if (element == null && field == null && t.isKeyword("contains")) {
            next();
            Operator contains = acceptKeyword("key") ? Operator.CONTAINS_KEY : Operator.CONTAINS;
            return new Condition(column, null, null, contains, term());
        }
        throw noViable(t);
    }

    /** {@code USING TTL x AND TIMESTAMP y} (either order); DELETE allows only TIMESTAMP. */
    private Using using(boolean allowTtl) {
        expectKeyword("using");
        Term timestamp = null;
        Term ttl = null;
        do {
            Token t = peek();
            if (t.isKeyword("timestamp")) {
                next();
                if (timestamp != null) {
                    throw error(t, "multiple TIMESTAMP clauses");
                }
                timestamp = intValue();
            } else if (allowTtl && t.isKeyword("ttl")) {
                next();
                if (ttl != null) {
                    throw error(t, "multiple TTL clauses");
                }
                ttl = intValue();
            } else {
                throw allowTtl ? noViable(t) : mismatched(t, "K_TIMESTAMP");
            }
        } while (acceptKeyword("and"));
        return new Using(timestamp, ttl);
    }

    private Batch batch() {
        expectKeyword("begin");
        Batch.Type type = Batch.Type.LOGGED;
        if (acceptKeyword("unlogged")) {
            type = Batch.Type.UNLOGGED;
        } else if (acceptKeyword("counter")) {
            type = Batch.Type.COUNTER;
        }
        expectKeyword("batch");
        Using using = peek().isKeyword("using") ? using(true) : Using.NONE;
        List<Statement> statements = new ArrayList<>();
        while (!peek().isKeyword("apply")) {
            Token t = peek();
            if (t.isKeyword("insert")) {
                statements.add(insert());
            } else if (t.isKeyword("update")) {
                statements.add(update());
            } else if (t.isKeyword("delete")) {
                statements.add(delete());
            } else {
                throw noViable(t);
            }
            accept(TokenType.SEMICOLON);
        }
        expectKeyword("apply");
        expectKeyword("batch");
        return new Batch(type, using, statements);
    }

    // ---------------------------------------------------------------------------------------- DDL

    private Statement create() {
        expectKeyword("create");
        Token t = peek();
        if (t.isKeyword("keyspace") || t.isKeyword("schema")) {
            next();
            boolean ifNotExists = ifNotExists();
            String name = keyspaceName();
            expectKeyword("with");
            return new CreateKeyspace(name, ifNotExists, properties());
        }
        if (t.isKeyword("table") || t.isKeyword("columnfamily")) {
            next();
            return createTable();
        }
        if (t.isKeyword("type")) {
            next();
            boolean ifNotExists = ifNotExists();
            QualifiedName name = userTypeName();
            expect(TokenType.LPAREN);
            List<FieldDefinition> fields = new ArrayList<>();
            do {
                if (peek().is(TokenType.RPAREN) && !fields.isEmpty()) {
                    break; // Cassandra tolerates a trailing comma
                }
                String field = identifier("field");
                fields.add(new FieldDefinition(field, type()));
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
            return new CreateType(name, ifNotExists, fields);
        }
        if (t.isKeyword("index") || t.isKeyword("custom")) {
            return createIndex();
        }
        if (t.isKeyword("materialized")) {
            next();
            expectKeyword("view");
            return createMaterializedView();
        }
        switch (t.lower()) {
            case "role", "user", "function", "aggregate", "trigger", "or" ->
                    throw unsupported(t, "CREATE " + t.text().toUpperCase(Locale.ROOT));
            default -> throw noViable(t);
        }
    }

    private CreateTable createTable() {
        boolean ifNotExists = ifNotExists();
        QualifiedName name = tableName();
        expect(TokenType.LPAREN);
        List<ColumnDefinition> columns = new ArrayList<>();
        List<String> partitionKey = new ArrayList<>();
        List<String> clustering = new ArrayList<>();
        boolean primaryKeySeen = false;
        do {
            if (peek().is(TokenType.RPAREN) && (!columns.isEmpty() || primaryKeySeen)) {
                break; // Cassandra tolerates a trailing comma
            }
            Token t = peek();
            if (t.isKeyword("primary")) {
                next();
                expectKeyword("key");
                if (primaryKeySeen) {
                    // Cassandra's grammar accepts this; its statement rejects it as an invalid request.
                    throw new io.strata.cql.types.InvalidValueException(
                            "Multiple PRIMARY KEY specified for table '" + name + "' (exactly one required)");
                }
                primaryKeySeen = true;
                expect(TokenType.LPAREN);
                if (accept(TokenType.LPAREN)) {
                    do {
                        partitionKey.add(identifier("column"));
                    } while (accept(TokenType.COMMA));
                    expect(TokenType.RPAREN);
                } else {
                    partitionKey.add(identifier("column"));
                }
                while (accept(TokenType.COMMA)) {
                    clustering.add(identifier("column"));
                }
                expect(TokenType.RPAREN);
            } else {
                String column = identifier("column");
                TypeRef type = type();
                boolean isStatic = acceptKeyword("static");
                columns.add(new ColumnDefinition(column, type, isStatic));
                Token primary = peek();
                if (acceptKeyword("primary")) {
                    expectKeyword("key");
                    if (primaryKeySeen) {
                        throw new io.strata.cql.types.InvalidValueException(
                                "Multiple PRIMARY KEY specified for table '" + name + "' (exactly one required)");
                    }
                    primaryKeySeen = true;
                    partitionKey.add(column);
                }
            }
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
        // No PRIMARY KEY parses (as in Cassandra); the DDL rejects it as an invalid request.
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Boolean> clusteringOrder = new LinkedHashMap<>();
        boolean compactStorage = false;
        if (acceptKeyword("with")) {
            do {
                Token t = peek();
                if (t.isKeyword("compact") && peek(1).isKeyword("storage")) {
                    pos += 2;
                    compactStorage = true;
                } else if (t.isKeyword("clustering") && peek(1).isKeyword("order")) {
                    pos += 2;
                    expectKeyword("by");
                    expect(TokenType.LPAREN);
                    do {
                        Token columnToken = peek();
                        String column = identifier("column");
                        boolean descending;
                        if (acceptKeyword("desc")) {
                            descending = true;
                        } else if (acceptKeyword("asc")) {
                            descending = false;
                        } else {
                            throw noViable(peek());
                        }
                        if (clusteringOrder.put(column, descending) != null) {
                            throw error(columnToken, "column " + column + " appears twice in CLUSTERING ORDER BY");
                        }
                    } while (accept(TokenType.COMMA));
                    expect(TokenType.RPAREN);
                } else {
                    property(properties);
                }
            } while (acceptKeyword("and"));
        }
        return new CreateTable(name, ifNotExists, columns, partitionKey, clustering, clusteringOrder, properties,
                compactStorage);
    }

    /**
     * After {@code CREATE MATERIALIZED VIEW}: the selection and the WHERE clause are skipped (their syntax is
     * not checked beyond balanced parentheses), up to {@code PRIMARY KEY}, which Cassandra's grammar requires.
     */
    private CreateMaterializedView createMaterializedView() {
        boolean ifNotExists = ifNotExists();
        QualifiedName name = tableName();
        expectKeyword("as");
        expectKeyword("select");
        if (peek().isKeyword("from")) {
            throw noViable(peek());
        }
        skipUntil("from");
        expectKeyword("from");
        QualifiedName base = tableName();
        if (acceptKeyword("where")) {
            skipUntil("primary");
        }
        if (!peek().isKeyword("primary")) {
            throw mismatched(peek(), "K_PRIMARY");
        }
        next();
        expectKeyword("key");
        expect(TokenType.LPAREN);
        List<String> partitionKey = new ArrayList<>();
        List<String> clustering = new ArrayList<>();
        if (accept(TokenType.LPAREN)) {
            do {
                partitionKey.add(identifier("column"));
            } while (accept(TokenType.COMMA));
            expect(TokenType.RPAREN);
        } else {
            partitionKey.add(identifier("column"));
        }
        while (accept(TokenType.COMMA)) {
            clustering.add(identifier("column"));
        }
        expect(TokenType.RPAREN);
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Boolean> clusteringOrder = new LinkedHashMap<>();
        if (acceptKeyword("with")) {
            do {
                if (peek().isKeyword("clustering") && peek(1).isKeyword("order")) {
                    pos += 2;
                    expectKeyword("by");
                    expect(TokenType.LPAREN);
                    do {
                        String column = identifier("column");
                        if (acceptKeyword("desc")) {
                            clusteringOrder.put(column, true);
                        } else if (acceptKeyword("asc")) {
                            clusteringOrder.put(column, false);
                        } else {
                            throw noViable(peek());
                        }
                    } while (accept(TokenType.COMMA));
                    expect(TokenType.RPAREN);
                } else {
                    property(properties);
                }
            } while (acceptKeyword("and"));
        }
        return new CreateMaterializedView(name, ifNotExists, base, partitionKey, clustering, clusteringOrder, properties);
    }

    /** Skips tokens up to the keyword (outside parentheses), or to the end of the statement. */
    private void skipUntil(String keyword) {
        int depth = 0;
        while (!ends(0) && !(depth == 0 && peek().isKeyword(keyword))) {
            Token t = next();
            if (t.is(TokenType.LPAREN)) {
                depth++;
            } else if (t.is(TokenType.RPAREN)) {
                if (depth == 0) {
                    throw noViable(t);
                }
                depth--;
            }
        }
    }

    private CreateIndex createIndex() {
        boolean custom = acceptKeyword("custom");
        expectKeyword("index");
        boolean ifNotExists = ifNotExists();
        String indexName = null;
        if (!peek().isKeyword("on")) {
            indexName = identifier("index");
        }
        expectKeyword("on");
        QualifiedName table = tableName();
        expect(TokenType.LPAREN);
        Token t = peek();
        CreateIndex.TargetKind kind = CreateIndex.TargetKind.SIMPLE;
        if (peek(1).is(TokenType.LPAREN)) {
            kind = switch (t.lower()) {
                case "keys" -> CreateIndex.TargetKind.KEYS;
                case "values" -> CreateIndex.TargetKind.VALUES;
                case "entries" -> CreateIndex.TargetKind.ENTRIES;
                case "full" -> CreateIndex.TargetKind.FULL;
                default -> throw noViable(t);
            };
            pos += 2;
        }
        String target = columnName();
        if (kind != CreateIndex.TargetKind.SIMPLE) {
            expect(TokenType.RPAREN);
        }
        expect(TokenType.RPAREN);
        String customClass = null;
        if (acceptKeyword("using")) {
            customClass = expect(TokenType.STRING).text();
        }
        if (custom && customClass == null) {
            throw mismatched(peek(), "K_USING");
        }
        Map<String, Object> properties = Map.of();
        if (acceptKeyword("with")) {
            properties = properties();
        }
        return new CreateIndex(indexName, table, ifNotExists, target, kind, customClass, properties);
    }

    private Statement drop() {
        expectKeyword("drop");
        Token t = next();
        if (t.isKeyword("keyspace") || t.isKeyword("schema")) {
            boolean ifExists = ifExists();
            return new DropKeyspace(keyspaceName(), ifExists);
        }
        if (t.isKeyword("table") || t.isKeyword("columnfamily")) {
            boolean ifExists = ifExists();
            return new DropTable(tableName(), ifExists);
        }
        if (t.isKeyword("type")) {
            boolean ifExists = ifExists();
            return new DropType(userTypeName(), ifExists);
        }
        if (t.isKeyword("index")) {
            boolean ifExists = ifExists();
            return new DropIndex(qualifiedName("index"), ifExists);
        }
        switch (t.lower()) {
            case "materialized", "role", "user", "function", "aggregate", "trigger" ->
                    throw unsupported(t, "DROP " + t.text().toUpperCase(Locale.ROOT));
            default -> throw noViable(t);
        }
    }

    private Statement alter() {
        expectKeyword("alter");
        Token t = next();
        if (t.isKeyword("keyspace") || t.isKeyword("schema")) {
            String name = keyspaceName();
            expectKeyword("with");
            return new AlterKeyspace(name, properties());
        }
        if (t.isKeyword("table") || t.isKeyword("columnfamily")) {
            return alterTable();
        }
        if (t.isKeyword("type")) {
            return alterType();
        }
        switch (t.lower()) {
            case "materialized", "role", "user" ->
                    throw unsupported(t, "ALTER " + t.text().toUpperCase(Locale.ROOT));
            default -> throw noViable(t);
        }
    }

    private AlterTable alterTable() {
        QualifiedName name = tableName();
        Token t = next();
        if (t.isKeyword("add") && peek().isKeyword("tags") && peek(1).is(TokenType.LBRACE)) {
            // Amazon Keyspaces: ALTER TABLE t ADD TAGS {'k': 'v'} adds (or replaces) those tags
            next();
            return new AlterTable(name, new AlterTable.WithProperties(Map.of("tags", propertyMap())));
        }
        if (t.isKeyword("add")) {
            List<ColumnDefinition> columns = new ArrayList<>();
            if (accept(TokenType.LPAREN)) {
                do {
                    columns.add(columnDefinition());
                } while (accept(TokenType.COMMA));
                expect(TokenType.RPAREN);
            } else {
                columns.add(columnDefinition());
            }
            return new AlterTable(name, new AlterTable.AddColumns(columns));
        }
        if (t.isKeyword("drop")) {
            List<String> columns = new ArrayList<>();
            if (accept(TokenType.LPAREN)) {
                do {
                    columns.add(identifier("column"));
                } while (accept(TokenType.COMMA));
                expect(TokenType.RPAREN);
            } else {
                columns.add(identifier("column"));
            }
            return new AlterTable(name, new AlterTable.DropColumns(columns));
        }
        if (t.isKeyword("rename")) {
            return new AlterTable(name, new AlterTable.RenameColumns(renames("column")));
        }
        if (t.isKeyword("alter")) {
            // ALTER c TYPE t parses (as in Cassandra 4) but is refused: stored values would not be rewritten.
            identifier("column");
            expectKeyword("type");
            type();
            throw new io.strata.cql.types.InvalidValueException("Altering column types is no longer supported");
        }
        if (t.isKeyword("with")) {
            return new AlterTable(name, new AlterTable.WithProperties(properties()));
        }
        if (t.isKeyword("alter")) {
            throw unsupported(t, "ALTER TABLE ... ALTER (changing a column's type)");
        }
        throw noViable(t);
    }

    private ColumnDefinition columnDefinition() {
        String column = identifier("column");
        TypeRef type = type();
        return new ColumnDefinition(column, type, acceptKeyword("static"));
    }

    private AlterType alterType() {
        QualifiedName name = userTypeName();
        Token t = next();
        if (t.isKeyword("add")) {
            String field = identifier("field");
            return new AlterType(name, new AlterType.AddField(new FieldDefinition(field, type())));
        }
        if (t.isKeyword("rename")) {
            return new AlterType(name, new AlterType.RenameFields(renames("field")));
        }
        if (t.isKeyword("alter")) {
            throw unsupported(t, "ALTER TYPE ... ALTER (changing a field's type)");
        }
        throw noViable(t);
    }

    /** {@code a TO b [AND c TO d ...]}. */
    private Map<String, String> renames(String what) {
        Map<String, String> renames = new LinkedHashMap<>();
        do {
            Token from = peek();
            String old = identifier(what);
            expectKeyword("to");
            if (renames.put(old, identifier(what)) != null) {
                throw error(from, what + " " + old + " is renamed twice");
            }
        } while (acceptKeyword("and"));
        return renames;
    }

    private Describe describe() {
        next(); // DESCRIBE or DESC
        Token t = peek();
        if (t.isKeyword("cluster") && ends(1)) {
            next();
            return new Describe(Describe.Kind.CLUSTER, null);
        }
        if (t.isKeyword("full")) {
            next();
            expectKeyword("schema");
            return new Describe(Describe.Kind.FULL_SCHEMA, null);
        }
        if (t.isKeyword("schema")) {
            next();
            return new Describe(Describe.Kind.SCHEMA, null);
        }
        if (t.isKeyword("keyspaces") && ends(1)) {
            next();
            return new Describe(Describe.Kind.KEYSPACES, null);
        }
        if (t.isKeyword("keyspace")) {
            next();
            return new Describe(Describe.Kind.KEYSPACE, ends(0) ? null : QualifiedName.of(keyspaceName()));
        }
        if (t.isKeyword("only") && peek(1).isKeyword("keyspace")) {
            pos += 2;
            return new Describe(Describe.Kind.ONLY_KEYSPACE, ends(0) ? null : QualifiedName.of(keyspaceName()));
        }
        if (t.isKeyword("tables") && ends(1)) {
            next();
            return new Describe(Describe.Kind.TABLES, null);
        }
        if (t.isKeyword("table") || t.isKeyword("columnfamily")) {
            next();
            return new Describe(Describe.Kind.TABLE, tableName());
        }
        if (t.isKeyword("types") && ends(1)) {
            next();
            return new Describe(Describe.Kind.TYPES, null);
        }
        if (t.isKeyword("type") && !ends(1) && !peek(1).is(TokenType.DOT)) {
            next();
            return new Describe(Describe.Kind.TYPE, userTypeName());
        }
        // keyword forms Strata does not describe; "function", "aggregate" and "only" alone are plain names
        boolean unsupportedForm = switch (t.lower()) {
            case "index", "materialized", "functions", "aggregates" -> true;
            case "function", "aggregate", "only" -> !ends(1);
            default -> false;
        };
        if (unsupportedForm) {
            throw unsupported(t, "DESCRIBE " + t.text().toUpperCase(Locale.ROOT));
        }
        return new Describe(Describe.Kind.NAME, qualifiedName("keyspace or table"));
    }

    /** True if the token at {@code offset} ends the statement (EOF or ';'). */
    private boolean ends(int offset) {
        Token t = peek(offset);
        return t.is(TokenType.EOF) || t.is(TokenType.SEMICOLON);
    }

    private boolean ifNotExists() {
        if (!acceptKeyword("if")) {
            return false;
        }
        expectKeyword("not");
        expectKeyword("exists");
        return true;
    }

    private boolean ifExists() {
        if (!acceptKeyword("if")) {
            return false;
        }
        expectKeyword("exists");
        return true;
    }

    // ---------------------------------------------------------------------------------------- properties

    private Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        do {
            property(properties);
        } while (acceptKeyword("and"));
        return properties;
    }

    private void property(Map<String, Object> into) {
        Token nameToken = peek();
        String name = identifier("property");
        expect(TokenType.EQ);
        Object value = peek().is(TokenType.LBRACE) ? propertyMap() : propertyValue();
        if (into.put(name, value) != null) {
            throw error(nameToken, "multiple definition for property " + name);
        }
    }

    private Map<String, Object> propertyMap() {
        expect(TokenType.LBRACE);
        Map<String, Object> map = new LinkedHashMap<>();
        if (accept(TokenType.RBRACE)) {
            return map;
        }
        do {
            Token keyToken = peek();
            Object key = propertyValue();
            expect(TokenType.COLON);
            Object value = peek().is(TokenType.LBRACE) ? propertyMap() : propertyValue();
            if (map.put(key.toString(), value) != null) {
                throw error(keyToken, "multiple definition for property " + key);
            }
        } while (accept(TokenType.COMMA));
        expect(TokenType.RBRACE);
        return map;
    }

    /** A constant or a bare word, as a String, {@link PropertyNumber} or Boolean. */
    private Object propertyValue() {
        Token t = next();
        switch (t.type()) {
            case STRING, DURATION, UUID:
                return t.text();
            case HEX:
                return "0x" + t.text();
            case BOOLEAN:
                return Boolean.valueOf(t.text());
            case INTEGER, FLOAT:
                return new PropertyNumber(t.text());
            case MINUS: {
                Token number = next();
                if (number.is(TokenType.INTEGER) || number.is(TokenType.FLOAT)) {
                    return new PropertyNumber("-" + number.text());
                }
                if (number.isKeyword("nan") || number.isKeyword("infinity")) {
                    return new PropertyNumber("-" + canonicalSpecial(number));
                }
                if (number.is(TokenType.DURATION)) {
                    return "-" + number.text();
                }
                throw noViable(number);
            }
            case QMARK, COLON:
                throw error(t, "bind variables are not supported in DDL queries");
            case IDENT:
                if (t.isKeyword("nan") || t.isKeyword("infinity")) {
                    return new PropertyNumber(canonicalSpecial(t));
                }
                if (!Keywords.isReserved(t.lower())) {
                    return t.lower();
                }
                throw noViable(t);
            default:
                throw noViable(t);
        }
    }

    // ---------------------------------------------------------------------------------------- terms

    /** A value: literal, bind marker, collection/tuple/UDT literal, function call or {@code (type) term}. */
    /** A term with arithmetic ({@code 1 + 2 * 3}); an operator continues only when a term follows it. */
    private Term term() {
        enter();
        try {
            Term left = productTerm();
            while ((peek().is(TokenType.PLUS) || peek().is(TokenType.MINUS) && !signedLiteralAt(pos)) && startsTermAt(pos + 1)) {
                ArithmeticOperator op = next().is(TokenType.PLUS) ? ArithmeticOperator.ADD : ArithmeticOperator.SUBTRACT;
                left = new Term.Operation(op, left, productTerm());
            }
            return left;
        } finally {
            leave();
        }
    }

    /**
     * Whether the '-' at {@code i} is the sign of the number written right after it ({@code 2-1}, {@code 2 -1}),
     * which Cassandra's lexer reads as a negative literal, never as subtraction.
     */
    private boolean signedLiteralAt(int i) {
        Token minus = token(i);
        Token next = token(i + 1);
        return next.start() == minus.end() && (next.is(TokenType.INTEGER) || next.is(TokenType.FLOAT)
                || next.is(TokenType.DURATION) || next.isKeyword("nan") || next.isKeyword("infinity"));
    }

    private Term productTerm() {
        Term left = simpleTerm();
        while (true) {
            ArithmeticOperator op = productOperator(peek());
            if (op == null || !startsTermAt(pos + 1)) {
                return left;
            }
            next();
            left = new Term.Operation(op, left, simpleTerm());
        }
    }

    private Term simpleTerm() {
        Token t = peek();
        switch (t.type()) {
            case STRING:
                next();
                return new Term.Literal(Term.Literal.Kind.STRING, t.text());
            case INTEGER:
                next();
                return new Term.Literal(Term.Literal.Kind.INTEGER, t.text());
            case FLOAT:
                next();
                return new Term.Literal(Term.Literal.Kind.FLOAT, t.text());
            case BOOLEAN:
                next();
                return new Term.Literal(Term.Literal.Kind.BOOLEAN, t.text());
            case DURATION:
                next();
                return new Term.Literal(Term.Literal.Kind.DURATION, t.text());
            case UUID:
                next();
                return new Term.Literal(Term.Literal.Kind.UUID, t.text());
            case HEX:
                next();
                return new Term.Literal(Term.Literal.Kind.HEX, t.text());
            case MINUS:
                return negativeLiteral();
            case QMARK, COLON:
                return marker();
            case LBRACKET:
                return listLiteral();
            case LBRACE:
                return braceLiteral();
            case LPAREN: {
                Term cast = tryCast();
                return cast != null ? cast : tupleLiteral();
            }
            case IDENT:
                if (t.isKeyword("null")) {
                    next();
                    return Term.Literal.NULL;
                }
                if (t.isKeyword("nan")) {
                    next();
                    return new Term.Literal(Term.Literal.Kind.NAN, "NaN");
                }
                if (t.isKeyword("infinity")) {
                    next();
                    return new Term.Literal(Term.Literal.Kind.INFINITY, "Infinity");
                }
                if (functionCallFollows()) {
                    return functionCall();
                }
                throw noViable(t);
            case QUOTED_NAME:
                if (functionCallFollows()) {
                    return functionCall();
                }
                throw noViable(t);
            default:
                throw noViable(t);
        }
    }

    /** '-' folded into the numeric, duration, NaN or Infinity literal that follows it. */
    private Term negativeLiteral() {
        expect(TokenType.MINUS);
        Token t = next();
        return switch (t.type()) {
            case INTEGER -> new Term.Literal(Term.Literal.Kind.INTEGER, "-" + t.text());
            case FLOAT -> new Term.Literal(Term.Literal.Kind.FLOAT, "-" + t.text());
            case DURATION -> new Term.Literal(Term.Literal.Kind.DURATION, "-" + t.text());
            case IDENT -> {
                if (t.isKeyword("nan")) {
                    yield new Term.Literal(Term.Literal.Kind.NAN, "-NaN");
                }
                if (t.isKeyword("infinity")) {
                    yield new Term.Literal(Term.Literal.Kind.INFINITY, "-Infinity");
                }
                throw noViable(t);
            }
            default -> throw noViable(t);
        };
    }

    private static String canonicalSpecial(Token t) {
        return t.isKeyword("nan") ? "NaN" : "Infinity";
    }

    private Term.BindMarker marker() {
        Token t = next();
        String name = null;
        if (t.is(TokenType.COLON)) {
            name = identifier("bind marker name");
        } else if (!t.is(TokenType.QMARK)) {
            throw noViable(t);
        }
        Term.BindMarker marker = new Term.BindMarker(markers.size(), name);
        markers.add(marker);
        return marker;
    }

    private static boolean isMarkerStart(Token t) {
        return t.is(TokenType.QMARK) || t.is(TokenType.COLON);
    }

    private Term listLiteral() {
        expect(TokenType.LBRACKET);
        List<Term> elements = new ArrayList<>();
        if (!accept(TokenType.RBRACKET)) {
            do {
                elements.add(term());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RBRACKET);
        }
        return new Term.ListLiteral(elements);
    }

    /** {@code {}} (empty map), {@code {k: v, ...}} (map), {@code {a, b}} (set) or {@code {field: v, ...}} (UDT). */
    private Term braceLiteral() {
        expect(TokenType.LBRACE);
        if (accept(TokenType.RBRACE)) {
            return new Term.MapLiteral(List.of());
        }
        // a bare identifier is never a term, so "{ident:" can only start a UDT literal
        if (isIdentifier(peek()) && peek(1).is(TokenType.COLON)) {
            Map<String, Term> fields = new LinkedHashMap<>();
            do {
                Token fieldToken = peek();
                String field = identifier("field");
                expect(TokenType.COLON);
                if (fields.put(field, term()) != null) {
                    throw error(fieldToken, "duplicate field " + field + " in user type literal");
                }
            } while (accept(TokenType.COMMA));
            expect(TokenType.RBRACE);
            return new Term.UdtLiteral(fields);
        }
        Term first = term();
        if (accept(TokenType.COLON)) {
            List<Map.Entry<Term, Term>> entries = new ArrayList<>();
            entries.add(new AbstractMap.SimpleImmutableEntry<>(first, term()));
            while (accept(TokenType.COMMA)) {
                Term key = term();
                expect(TokenType.COLON);
                entries.add(new AbstractMap.SimpleImmutableEntry<>(key, term()));
            }
            expect(TokenType.RBRACE);
            return new Term.MapLiteral(entries);
        }
        List<Term> elements = new ArrayList<>();
        elements.add(first);
        while (accept(TokenType.COMMA)) {
            elements.add(term());
        }
        expect(TokenType.RBRACE);
        return new Term.SetLiteral(elements);
    }

    private Term.TupleLiteral tupleLiteral() {
        expect(TokenType.LPAREN);
        List<Term> elements = new ArrayList<>();
        do {
            elements.add(term());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
        return new Term.TupleLiteral(elements);
    }

    /**
     * At '(': a {@code (type) term} type hint if one parses here, else null with the position unchanged
     * (the caller then reads a tuple or parenthesised expression).
     */
    private Term tryCast() {
        Token typeStart = peek(1);
        boolean mayBeType = typeStart.is(TokenType.STRING) || typeStart.is(TokenType.QUOTED_NAME)
                || (typeStart.is(TokenType.IDENT) && (!Keywords.isReserved(typeStart.lower()) || typeStart.isKeyword("set")));
        if (!mayBeType) {
            return null;
        }
        int savedPos = pos;
        TypeRef type;
        try {
            next();
            type = type();
        } catch (CqlSyntaxException e) {
            pos = savedPos;
            return null;
        }
        if (!accept(TokenType.RPAREN) || !startsTermAt(pos)) {
            pos = savedPos;
            return null;
        }
        return new Term.Cast(type, simpleTerm());
    }

    private boolean startsTermAt(int i) {
        Token t = token(i);
        return switch (t.type()) {
            case STRING, INTEGER, FLOAT, BOOLEAN, DURATION, UUID, HEX, MINUS, QMARK, COLON, LBRACKET, LBRACE,
                    LPAREN -> true;
            case IDENT -> t.isKeyword("null") || t.isKeyword("nan") || t.isKeyword("infinity") || functionCallFollowsAt(i);
            case QUOTED_NAME -> functionCallFollowsAt(i);
            default -> false;
        };
    }

    private Term functionCall() {
        FunctionName name = functionName();
        expect(TokenType.LPAREN);
        List<Term> args = new ArrayList<>();
        if (!peek().is(TokenType.RPAREN)) {
            do {
                args.add(term());
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RPAREN);
        return new Term.FunctionCall(name.keyspace(), name.name(), args);
    }

    private boolean functionCallFollows() {
        return functionCallFollowsAt(pos);
    }

    /** True if {@code name (} or {@code keyspace . name (} starts at token index {@code i}. */
    private boolean functionCallFollowsAt(int i) {
        Token first = token(i);
        if (isFunctionNameToken(first) && token(i + 1).is(TokenType.LPAREN)) {
            return true;
        }
        return isIdentifier(first) && token(i + 1).is(TokenType.DOT) && isFunctionNameToken(token(i + 2))
                && token(i + 3).is(TokenType.LPAREN);
    }

    private static boolean isFunctionNameToken(Token t) {
        return isIdentifier(t) || t.isKeyword("token");
    }

    /** A function's name; {@code keyspace} is null unless written. */
    private record FunctionName(String keyspace, String name) {}

    private FunctionName functionName() {
        String keyspace = null;
        if (peek(1).is(TokenType.DOT)) {
            keyspace = identifier("keyspace");
            next();
        }
        Token t = next();
        String name = t.is(TokenType.QUOTED_NAME) ? t.text() : t.lower();
        return new FunctionName(keyspace, name);
    }

    private Term intValue() {
        Token t = peek();
        if (t.is(TokenType.INTEGER)) {
            next();
            return new Term.Literal(Term.Literal.Kind.INTEGER, t.text());
        }
        if (t.is(TokenType.MINUS) && peek(1).is(TokenType.INTEGER)) {
            next();
            return new Term.Literal(Term.Literal.Kind.INTEGER, "-" + next().text());
        }
        if (isMarkerStart(t)) {
            return marker();
        }
        throw noViable(t);
    }

    // ---------------------------------------------------------------------------------------- types

    private TypeRef type() {
        enter();
        try {
            return typeUnchecked();
        } finally {
            leave();
        }
    }

    private void enter() {
        if (++depth > MAX_NESTING) {
            depth--;
            throw error(peek(), "the statement nests terms, selectors or types more than " + MAX_NESTING
                    + " levels deep");
        }
    }

    private void leave() {
        depth--;
    }

    private TypeRef typeUnchecked() {
        Token t = peek();
        if (t.is(TokenType.STRING)) {
            next();
            return new TypeRef.Custom(t.text());
        }
        if (t.is(TokenType.IDENT) && peek(1).is(TokenType.LT)) {
            switch (t.lower()) {
                case "frozen" -> {
                    pos += 2;
                    TypeRef inner = type();
                    expect(TokenType.GT);
                    return new TypeRef.Frozen(inner);
                }
                case "list", "set" -> {
                    pos += 2;
                    TypeRef element = type();
                    expect(TokenType.GT);
                    return new TypeRef.Collection(t.isKeyword("list") ? TypeRef.Collection.Kind.LIST
                            : TypeRef.Collection.Kind.SET, List.of(element));
                }
                case "map" -> {
                    pos += 2;
                    TypeRef key = type();
                    expect(TokenType.COMMA);
                    TypeRef value = type();
                    expect(TokenType.GT);
                    return new TypeRef.Collection(TypeRef.Collection.Kind.MAP, List.of(key, value));
                }
                case "tuple" -> {
                    pos += 2;
                    List<TypeRef> elements = new ArrayList<>();
                    do {
                        elements.add(type());
                    } while (accept(TokenType.COMMA));
                    expect(TokenType.GT);
                    return new TypeRef.Tuple(elements);
                }
                case "vector" -> {
                    pos += 2;
                    TypeRef element = type();
                    expect(TokenType.COMMA);
                    Token dimension = expect(TokenType.INTEGER);
                    expect(TokenType.GT);
                    int d;
                    try {
                        d = Integer.parseInt(dimension.text());
                    } catch (NumberFormatException e) {
                        throw error(dimension, "vector dimension out of range: " + dimension.text());
                    }
                    if (d <= 0) {
                        throw error(dimension, "vector dimension must be positive: " + d);
                    }
                    return new TypeRef.Vector(element, d);
                }
                default -> {
                }
            }
        }
        if (t.is(TokenType.IDENT) && Keywords.NATIVE_TYPES.contains(t.lower())) {
            next();
            return new TypeRef.Native(t.lower());
        }
        if (isIdentifier(t)) {
            return new TypeRef.UserType(userTypeName());
        }
        throw noViable(t);
    }

    private TypeRef nativeType() {
        Token t = next();
        if (t.is(TokenType.IDENT) && Keywords.NATIVE_TYPES.contains(t.lower())) {
            return new TypeRef.Native(t.lower());
        }
        throw noViable(t);
    }

    private QualifiedName userTypeName() {
        String keyspace = null;
        if (peek(1).is(TokenType.DOT)) {
            keyspace = identifier("keyspace");
            next();
        }
        Token t = peek();
        String name = identifier("type");
        if (t.is(TokenType.IDENT) && (Keywords.NATIVE_TYPES.contains(name) || Keywords.RESERVED_TYPE_NAMES.contains(name)
                || isCollectionKeyword(name))) {
            throw error(t, "invalid (reserved) user type name " + name);
        }
        return new QualifiedName(keyspace, name);
    }

    private static boolean isCollectionKeyword(String name) {
        return switch (name) {
            case "frozen", "list", "map", "tuple", "vector" -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------------------------------- names

    private QualifiedName tableName() {
        return qualifiedName("table");
    }

    private QualifiedName qualifiedName(String what) {
        String first = identifier(what.equals("table") ? "keyspace or table" : what);
        if (accept(TokenType.DOT)) {
            return new QualifiedName(first, identifier(what));
        }
        return new QualifiedName(null, first);
    }

    private String keyspaceName() {
        return identifier("keyspace");
    }

    private String columnName() {
        return identifier("column");
    }

    /**
     * An identifier: an unquoted word that is not a reserved keyword (lower-cased) or a non-empty
     * quoted name (verbatim). {@code what} names the expected thing in error messages.
     */
    private String identifier(String what) {
        Token t = peek();
        if (t.is(TokenType.IDENT) && !Keywords.isReserved(t.lower())) {
            next();
            return t.lower();
        }
        if (t.is(TokenType.QUOTED_NAME)) {
            if (t.text().isEmpty()) {
                throw error(t, "empty quoted identifier is not allowed as a " + what + " name");
            }
            next();
            return t.text();
        }
        if (isMarkerStart(t)) {
            throw error(t, "bind variables cannot be used for " + what + " names");
        }
        throw noViable(t);
    }

    private static boolean isIdentifier(Token t) {
        return (t.is(TokenType.IDENT) && !Keywords.isReserved(t.lower()))
                || (t.is(TokenType.QUOTED_NAME) && !t.text().isEmpty());
    }

    // ---------------------------------------------------------------------------------------- token stream

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int offset) {
        return token(pos + offset);
    }

    private Token token(int index) {
        return tokens.get(Math.min(index, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (!t.is(TokenType.EOF)) {
            pos++;
        }
        return t;
    }

    private boolean accept(TokenType type) {
        if (peek().is(type)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(TokenType type) {
        Token t = peek();
        if (!t.is(type)) {
            throw mismatched(t, type.displayName());
        }
        next();
        return t;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) {
        Token t = peek();
        if (!t.isKeyword(keyword)) {
            throw mismatched(t, "K_" + keyword.toUpperCase(Locale.ROOT));
        }
        pos++;
    }

    private void truncateMarkers(int size) {
        while (markers.size() > size) {
            markers.remove(markers.size() - 1);
        }
    }

    // ---------------------------------------------------------------------------------------- errors

    private CqlSyntaxException mismatched(Token t, String expected) {
        return error(t, "mismatched input " + quoted(t) + " expecting " + expected);
    }

    private CqlSyntaxException noViable(Token t) {
        return error(t, "no viable alternative at input " + quoted(t));
    }

    private CqlSyntaxException unsupported(Token t, String what) {
        return error(t, "no viable alternative at input " + quoted(t), what + " is not supported");
    }

    private CqlSyntaxException error(Token t, String message) {
        return error(t, message, null);
    }

    private CqlSyntaxException error(Token t, String message, String detail) {
        return new CqlSyntaxException(t.line(), t.column(),
                message + " (" + excerpt(t) + ")" + (detail == null ? "" : ": " + detail));
    }

    private String quoted(Token t) {
        return "'" + raw(t) + "'";
    }

    private String raw(Token t) {
        return t.is(TokenType.EOF) ? "<EOF>" : source.substring(t.start(), t.end());
    }

    /** Cassandra-style excerpt: a few tokens before the offending one, which is bracketed: {@code SELECT * [x]...}. */
    private String excerpt(Token t) {
        int index = tokens.indexOf(t);
        int from = Math.max(0, index - 4);
        String before = source.substring(tokens.get(from).start(), Math.min(t.start(), source.length()))
                .replaceAll("\\s+", " ");
        return before + "[" + raw(t) + "]" + (t.is(TokenType.EOF) ? "" : "...");
    }
}
