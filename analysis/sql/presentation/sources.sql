-- Presenter deck: where the records behind the slides come from. One row per table part
-- ('agreements' under the filters, 'institutions' of the selected cities) and provenance,
-- and whether the records are made up (an agreement is when either party is), with
-- how many records carry it; most records first.
with agr as (
    select 'agreements' as part, provenance, illustrative
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
inst as (
    select 'institutions' as part, provenance, illustrative
    from filtered_institutions($cities, $include_illustrative)
),
final as (
    select part, provenance, illustrative, count(*) as records
    from (select * from agr union all select * from inst)
    group by part, provenance, illustrative
)
select * from final order by part, illustrative, records desc, provenance
