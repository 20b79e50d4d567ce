-- The DuckDB peer of a full monthly rebuild: the same kinds of work as the job's pipeline, written
-- directly in DuckDB SQL over the same SNDS-shaped Parquet extract, as a competent DuckDB user would.
-- A yardstick for speed, not a definition of the indicators: its rules are simpler than the job's.
-- Restated from the project's performance brief (issue 13); run by benchmark/peer/Peer.java,
-- which bin/benchmark calls beside the job on the same extract and cores (2 threads).
-- Variables: ${X} extract, ${END} last care month (first day), ${START} first care month of the
-- earliest of the 13 windows, ${O} output folder. Lines starting with "--" are dropped.
create temp table ben as
select BEN_NIR_PSA, BEN_RNG_GEM, BEN_NAI_ANN::int as birth_year, BEN_SEX_COD as sex, BEN_RES_DPT as dept
from read_parquet('${X}/IR_BEN_R/**/*.parquet', union_by_name = true);
create temp table ald as
select BEN_NIR_PSA, BEN_RNG_GEM, IMB_ALD_DTD as dtd, coalesce(IMB_ALD_DTF, date '9999-12-31') as dtf
from read_parquet('${X}/IR_IMB_R/**/*.parquet', union_by_name = true);
create temp table pha_ref as
select PHA_CIP_C13, PHA_ATC_C07 as atc, PHA_GEN_TYP as gen_typ, PHA_PRI_UNI as price
from read_parquet('${X}/IR_PHA_R/**/*.parquet', union_by_name = true);

-- 1. validation: flux up to the refresh month, known beneficiary, one line per 9 join keys.
-- Adapted: care must start by the END of its flux month (the job's rule; the brief's script compared
-- with FLX_DIS_DTD, the first day of the flux month, and so dropped about 3 lines in 4).
create temp table prs as
select * from read_parquet('${X}/ER_PRS_F/**/*.parquet', hive_partitioning = true, union_by_name = true) p
where FLX_DIS_DTD < date '${END}' + interval 1 month
  and EXE_SOI_DTD >= date '2006-01-01' and EXE_SOI_DTD <= last_day(FLX_DIS_DTD)
  and exists (select 1 from ben b where b.BEN_NIR_PSA = p.BEN_NIR_PSA and b.BEN_RNG_GEM = p.BEN_RNG_GEM)
qualify row_number() over (partition by FLX_DIS_DTD, FLX_TRT_DTD, FLX_EMT_TYP, FLX_EMT_NUM, FLX_EMT_ORD,
                                        ORG_CLE_NUM, DCT_ORD_NUM, PRS_ORD_NUM, REM_TYP_AFF) = 1;

-- 2. netting of regularisations on service lines (identical lines summed, kept when positive)
create temp table net as
select BEN_NIR_PSA, BEN_RNG_GEM, PRS_NAT_REF, EXE_SOI_DTD, EXE_SOI_DTF, PFS_EXE_NUM, PFS_PRE_NUM,
       PSP_SPE_COD, RGO_ASU_NAT, coalesce(DPN_QLF, 0) as dpn, coalesce(CPL_MAJ_TOP, 0) as maj,
       sum(PRS_ACT_QTE) as qte, sum(PRS_ACT_NBR) as nbr, sum(BSE_REM_MNT) as amount,
       date_trunc('month', EXE_SOI_DTD) as care_month
from prs group by all having sum(PRS_ACT_QTE) > 0;

-- 3. drug lines: their service line (9 keys), the referential, netted
create temp table drugs as
select p.BEN_NIR_PSA, p.BEN_RNG_GEM, p.PFS_PRE_NUM, p.EXE_SOI_DTD, r.atc, r.gen_typ,
       date_trunc('month', p.EXE_SOI_DTD) as care_month, sum(h.PHA_ACT_QSN) as boxes, sum(h.PHA_ACT_QSN * r.price) as amount
from read_parquet('${X}/ER_PHA_F/**/*.parquet', hive_partitioning = true, union_by_name = true) h
join prs p using (FLX_DIS_DTD, FLX_TRT_DTD, FLX_EMT_TYP, FLX_EMT_NUM, FLX_EMT_ORD, ORG_CLE_NUM, DCT_ORD_NUM, PRS_ORD_NUM, REM_TYP_AFF)
join pha_ref r on r.PHA_CIP_C13 = h.PHA_PRS_C13
group by all having sum(h.PHA_ACT_QSN) > 0;

-- 4. patient x prescriber x care month measures
create temp table pm as
select BEN_NIR_PSA, BEN_RNG_GEM, prescriber, care_month,
       sum(consult) as consults, sum(ij_days) as ij_days, sum(ij_amount) as ij_amount,
       sum(transports) as transports, sum(transport_amount) as transport_amount,
       sum(antibiotics) as antibiotics, sum(benzo_boxes) as benzo_boxes,
       sum(generic_boxes) as generic_boxes, sum(group_boxes) as group_boxes, sum(drug_amount) as drug_amount
from (
  select BEN_NIR_PSA, BEN_RNG_GEM, PFS_EXE_NUM as prescriber, care_month, 1 as consult, 0 as ij_days, 0 as ij_amount,
         0 as transports, 0 as transport_amount, 0 as antibiotics, 0 as benzo_boxes, 0 as generic_boxes, 0 as group_boxes, 0 as drug_amount
  from net where PRS_NAT_REF in (1109, 1110, 1111, 1112, 1113, 1114, 1209, 1210, 1211, 1212) and maj < 2 and dpn <> 71
  union all
  select BEN_NIR_PSA, BEN_RNG_GEM, PFS_PRE_NUM, care_month, 0, nbr, amount, 0, 0, 0, 0, 0, 0, 0
  from net where PRS_NAT_REF between 6110 and 6119 and RGO_ASU_NAT = 10
  union all
  select BEN_NIR_PSA, BEN_RNG_GEM, PFS_PRE_NUM, care_month, 0, 0, 0, qte, amount, 0, 0, 0, 0, 0
  from net where PRS_NAT_REF in (4212, 4213, 4214)
  union all
  select BEN_NIR_PSA, BEN_RNG_GEM, PFS_PRE_NUM, care_month, 0, 0, 0, 0, 0,
         case when atc like 'J01%' then 1 else 0 end, case when atc like 'N05BA%' then boxes else 0 end,
         case when gen_typ = 2 then boxes else 0 end, case when gen_typ in (1, 2) then boxes else 0 end, amount
  from drugs
) group by all;

-- 5. patient attributes at each care month: age band, sex, department, ALD
create temp table pmx as
select pm.*, b.sex, b.dept, least(greatest(year(pm.care_month) - b.birth_year, 0) // 10, 9) as age_band,
       exists (select 1 from ald a where a.BEN_NIR_PSA = pm.BEN_NIR_PSA and a.BEN_RNG_GEM = pm.BEN_RNG_GEM
               and a.dtd <= pm.care_month + interval 1 month and a.dtf >= pm.care_month) as ald
from pm join ben b using (BEN_NIR_PSA, BEN_RNG_GEM)
where pm.care_month >= date '${START}';

-- 6. 13 rolling 12-month windows, exploded once
create temp table windows as
select range::date as w from range(date '${END}' - interval 12 month, date '${END}' + interval 1 day, interval 1 month);
create temp table pw as
select w, p.* from pmx p join windows on p.care_month > w - interval 12 month and p.care_month <= w;

-- 7. department cube (window x department x stratum) and prescriber cube (base = patients consulted)
copy (select w, dept, age_band, sex, ald, count(distinct (BEN_NIR_PSA, BEN_RNG_GEM)) as patients,
             sum(ij_days) as ij_days, sum(ij_amount) as ij_amount, sum(transports) as transports,
             sum(antibiotics) as antibiotics, sum(benzo_boxes) as benzo_boxes, sum(generic_boxes) as generic_boxes,
             sum(group_boxes) as group_boxes, sum(drug_amount) as drug_amount, sum(transport_amount) as transport_amount
      from pw group by all) to '${O}/department_cube.parquet' (format parquet);
create temp table base as
select distinct w, prescriber, BEN_NIR_PSA, BEN_RNG_GEM, age_band, sex, ald from pw where consults > 0;
create temp table prescribed as
select w, prescriber, BEN_NIR_PSA, BEN_RNG_GEM, sum(ij_days) as ij_days, sum(antibiotics) as antibiotics,
       sum(benzo_boxes) as benzo_boxes, sum(generic_boxes) as generic_boxes, sum(group_boxes) as group_boxes,
       sum(transports) as transports
from pw group by all;
copy (select b.w, b.prescriber, b.age_band, b.sex, b.ald, count(*) as patients,
             sum(coalesce(p.ij_days, 0)) as ij_days, count(p.ij_days) filter (where p.ij_days > 0) as ij_patients,
             sum(coalesce(p.antibiotics, 0)) as antibiotics, sum(coalesce(p.benzo_boxes, 0)) as benzo_boxes,
             sum(coalesce(p.generic_boxes, 0)) as generic_boxes, sum(coalesce(p.group_boxes, 0)) as group_boxes,
             sum(coalesce(p.transports, 0)) as transports
      from base b left join prescribed p using (w, prescriber, BEN_NIR_PSA, BEN_RNG_GEM)
      group by all) to '${O}/prescriber_cube.parquet' (format parquet);

-- 8. sick-leave spells: a patient's IJ periods bridged over gaps of up to 2 days
copy (with ij as (select BEN_NIR_PSA, BEN_RNG_GEM, EXE_SOI_DTD as s, EXE_SOI_DTF as e, PFS_PRE_NUM, nbr
                  from net where PRS_NAT_REF between 6110 and 6119 and RGO_ASU_NAT = 10),
      marked as (select *, case when s > max(e) over (partition by BEN_NIR_PSA, BEN_RNG_GEM order by s, e
                                                       rows between unbounded preceding and 1 preceding) + 3
                                 then 1 else 0 end as new_spell from ij),
      numbered as (select *, sum(new_spell) over (partition by BEN_NIR_PSA, BEN_RNG_GEM order by s, e) as spell from marked)
      select BEN_NIR_PSA, BEN_RNG_GEM, spell, min(s) as start, max(e) as stop, sum(nbr) as paid_days,
             arg_min(PFS_PRE_NUM, s) as initial_prescriber, count(*) as periods
      from numbered group by all) to '${O}/spells.parquet' (format parquet);

select (select count(*) from prs) as lines_kept, (select count(*) from net) as netted, (select count(*) from drugs) as drug_lines,
       (select count(*) from pw) as patient_windows, (select count(*) from base) as base_rows;
