package io.emrvke.server.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The reads of one table's rows: its columns, its listing order and how a row becomes its record,
 * so that a repository says only which rows ({@link SqlFilter}) it wants. Every read joins the
 * transaction of the handle it is given.
 */
public final class Rows<R> {
    private final String table;
    private final String select;
    private final String order;
    private final RowMapper<R> mapper;

    /** {@code order} is the whole ORDER BY clause lists and pages use, e.g. {@code " ORDER BY create_time DESC"}. */
    public Rows(String table, String columns, String order, RowMapper<R> mapper) {
        this.table = table;
        this.select = "SELECT " + columns + " FROM " + table;
        this.order = order;
        this.mapper = mapper;
    }

    /** The row {@code where} picks (a key), if any. */
    public Optional<R> one(Handle h, SqlFilter where) {
        return where.bind(h.createQuery(select + where.clause())).map(mapper).findOne();
    }

    /** The row {@code where} picks, locked until the transaction of {@code h} ends. */
    public Optional<R> lockOne(Handle h, SqlFilter where) {
        return where.bind(h.createQuery(select + where.clause() + " FOR UPDATE")).map(mapper).findOne();
    }

    /** Every row {@code where} picks, in the table's order. */
    public List<R> list(Handle h, SqlFilter where) {
        return where.bind(h.createQuery(select + where.clause() + order)).map(mapper).list();
    }

    /** One page of the rows {@code where} picks, in the table's order, with their total count. */
    public Page<R> page(Handle h, SqlFilter where, Page.Request paging) {
        long total = where.bind(h.createQuery("SELECT COUNT(*) FROM " + table + where.clause()))
                .mapTo(Long.class).one();
        List<R> items = total <= paging.offset() ? List.of()
                : where.bind(h.createQuery(select + where.clause() + order + " LIMIT :limit OFFSET :offset"))
                .bind("limit", paging.maxResults()).bind("offset", paging.offset())
                .map(mapper).list();
        return paging.page(items, total);
    }
}
